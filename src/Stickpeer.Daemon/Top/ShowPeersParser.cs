// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text.RegularExpressions;

namespace Stickpeer.Daemon.Top;

/// <summary>
/// Reads the answers of <c>show peers</c> and <c>show table</c> (no argument) as HAProxy 2.6,
/// 3.x and Stickpeer print them, so <c>stickpeer top --socket</c> works against either.
/// Lines it does not know are skipped: HAProxy adds fields between versions.
/// </summary>
public static partial class ShowPeersParser
{
    // Resync flag bits, the same in 2.6 and 3.x: learned from the local (old) process, from a remote peer.
    private const int LocalFinished = 0x1;
    private const int RemoteFinished = 0x2;

    // HAProxy's session state number of an established session (PEER_SESS_ST_WAITMSG).
    private const int Established = 7;

    public static IReadOnlyList<TopSection> ParsePeers(string text, out string? localPeer)
    {
        ArgumentNullException.ThrowIfNull(text);
        localPeer = null;
        var sections = new List<TopSection>();
        string? section = null;
        var flags = 0;
        var peers = new List<TopPeer>();
        PeerBuilder? peer = null;

        void EndPeer()
        {
            if (peer is { Local: false })
            {
                peers.Add(peer.Build());
            }

            peer = null;
        }

        void EndSection()
        {
            EndPeer();
            if (section is not null)
            {
                var state = (flags & (LocalFinished | RemoteFinished)) switch
                {
                    LocalFinished | RemoteFinished => "finished",
                    LocalFinished => "from_remote",
                    _ => "from_local",
                };
                sections.Add(new TopSection(section, state, state == "finished", peers));
            }

            peers = [];
        }

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (SectionLine().Match(line) is { Success: true } s)
            {
                EndSection();
                section = s.Groups["id"].Value;
                flags = int.Parse(s.Groups["flags"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
            else if (PeerLine().Match(line) is { Success: true } p)
            {
                EndPeer();
                var local = p.Groups["where"].Value == "local";
                if (local)
                {
                    localPeer ??= p.Groups["id"].Value;
                }

                peer = new PeerBuilder(p.Groups["id"].Value, local, p.Groups["active"].Value == "active", Field(line, "last_status") ?? "?", Field(line, "learn_state"));
            }
            else if (peer is not null)
            {
                peer.Add(line);
            }
        }

        EndSection();
        return sections;
    }

    /// <summary>Reads the table list of <c>show table</c>: <c># table: name, type: t, size:n, used:n</c>.</summary>
    public static IReadOnlyList<TopTable> ParseTables(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tables = new List<TopTable>();
        foreach (var raw in text.Split('\n'))
        {
            if (TableLine().Match(raw.TrimEnd('\r')) is { Success: true } t)
            {
                tables.Add(new TopTable(
                    t.Groups["name"].Value,
                    t.Groups["type"].Value,
                    long.Parse(t.Groups["used"].Value, CultureInfo.InvariantCulture),
                    long.Parse(t.Groups["size"].Value, CultureInfo.InvariantCulture)));
            }
        }

        return tables;
    }

    private static string? Field(string line, string name)
    {
        var at = line.IndexOf(" " + name + "=", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var start = at + name.Length + 2;
        var end = line.IndexOf(' ', start);
        return end < 0 ? line[start..] : line[start..end];
    }

    private static long Number(string line, string name) =>
        long.TryParse(Field(line, name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    [GeneratedRegex(@"^0x[0-9a-f]+: \[[^\]]*\] id=(?<id>\S+) .*\bflags=0x(?<flags>[0-9a-f]+)\b")]
    private static partial Regex SectionLine();

    [GeneratedRegex(@"^  0x[0-9a-f]+: id=(?<id>[^(\s]+)\((?<where>local|remote),(?<active>active|inactive)\)")]
    private static partial Regex PeerLine();

    [GeneratedRegex(@"^# table: (?<name>[^,]+), type: (?<type>[^,]+), size:(?<size>\d+), used:(?<used>\d+)")]
    private static partial Regex TableLine();

    /// <summary>Collects one peer's lines: counters, session state, and per-table ids.</summary>
    private sealed class PeerBuilder(string name, bool local, bool active, string lastStatus, string? learnState)
    {
        private int _st0 = -1;
        private long _errors;
        private long _updates;
        private long _ackLag;

        public bool Local => local;

        public void Add(string line)
        {
            if (line.Contains(" proto_err=", StringComparison.Ordinal))
            {
                _errors = Number(line, "proto_err") + Number(line, "no_hbt") + Number(line, "coll");
            }
            else if (line.Contains(" st0=", StringComparison.Ordinal))
            {
                _st0 = (int)Number(line, "st0");
            }
            else if (line.Contains(" last_pushed=", StringComparison.Ordinal))
            {
                var pushed = (uint)Number(line, "last_pushed");
                var acked = (uint)Number(line, "last_acked");
                // Update ids are 32-bit and compared by signed difference, as HAProxy does (3.0
                // starts unused ids half a range away, which must not read as a huge lag).
                _ackLag += Math.Max(0, unchecked((int)(pushed - acked)));
                _updates += pushed + (uint)Number(line, "last_get");
            }
        }

        public TopPeer Build()
        {
            var up = active && _st0 == Established;
            var state = !active ? "down" : up ? "established" : "handshake";
            if (learnState is not null and not "NOTASSIGNED")
            {
                state += ", " + learnState.ToLowerInvariant();
            }

            return new TopPeer(name, up, state, lastStatus, null, null, _updates, _ackLag, _errors);
        }
    }
}
