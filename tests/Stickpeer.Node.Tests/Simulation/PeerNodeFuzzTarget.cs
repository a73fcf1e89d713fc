// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// Session-level fuzz target: arbitrary bytes into one live <see cref="PeerNode"/> connection.
/// The first input byte picks the entry point — raw bytes from the very first byte (as an
/// acceptor), or after a valid handshake as acceptor or as connector — and the split of the
/// rest into Receive calls. Oracles: nothing escapes as an exception; no session ends on an
/// internal error; before a handshake the node only ever answers a status line; a session
/// the node closes for a protocol error ends its output with <c>01 00</c> (<c>01 01</c> for
/// size); and when an independent framing check finds a class-255 message, an over-long
/// length or an oversized payload, the node must have closed with one of those codes.
/// </summary>
internal static class PeerNodeFuzzTarget
{
    private static readonly IReadOnlyList<TableSchema> s_tables = SimWorkload.Tables;

    public static void Fuzz(ReadOnlySpan<byte> input)
    {
        if (input.Length < 2)
        {
            return;
        }

        var mode = input[0] % 3;
        var chunkSeed = input[1];
        var data = input[2..].ToArray();
        var time = new FakeTimeProvider(VirtualScheduler.Epoch);
        var tables = s_tables.Select((s, i) => SimTables.Create(s, time, hashSeed: (ulong)i + 1, shards: 4)).ToArray();
        for (var i = 0; i < 3; i++)
        {
            SimTables.Apply(tables[i % tables.Length], SimWorkload.RandomWrite(new Random(i), s_tables[i % tables.Length], SimWorkload.Key(s_tables[i % tables.Length], i)));
        }

        var node = new PeerNode(
            new PeerNodeOptions { LocalPeerName = "nodea", RemotePeers = ["nodeb"], ProcessId = 7 },
            [.. tables.Select(t => new StickTableReplica(t))], time, NullLoggerFactory.Instance, new Random(chunkSeed));

        // The real host runs the node; the fuzzer is the raw peer on the other end of its connection.
        var run = mode == 2 ? RawPeerOverHost.Connecting(node, time, "nodea", "nodeb") : RawPeerOverHost.Accepting(node, time, "nodea", "nodeb");
        var prefix = mode switch
        {
            2 => "200\n"u8.ToArray(),
            1 => "HAProxyS 2.1\nnodea\nnodeb 99 1\n"u8.ToArray(),
            _ => [],
        };

        if (prefix.Length > 0)
        {
            run.Send(prefix);
        }

        var rnd = new Random(chunkSeed);
        for (var pos = 0; pos < data.Length && run.CloseReason is null;)
        {
            var n = Math.Min(data.Length - pos, 1 + rnd.Next(chunkSeed % 2 == 0 ? 7 : 4096));
            run.Send(data.AsSpan(pos, n));
            pos += n;
            if (rnd.Next(8) == 0)
            {
                run.Advance(TimeSpan.FromMilliseconds(rnd.Next(1, 4000)));
            }
        }

        if (run.Errors.FirstOrDefault() is { } error)
        {
            throw new InvalidOperationException("the host logged an error: " + error);
        }

        var output = run.Output;
        var closeReason = run.CloseReason;
        if (closeReason is not null && closeReason.StartsWith("InternalError", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("session closed on an internal error: " + closeReason);
        }

        if (mode == 0)
        {
            CheckStatusOnly(output);
            return;
        }

        var tail = output.Count >= 2 ? (output[^2], output[^1]) : ((byte)0, (byte)0);
        if (closeReason is not null && closeReason.StartsWith("ProtocolError", StringComparison.Ordinal) && tail != (1, 0))
        {
            throw new InvalidOperationException($"closed for a protocol error but the output does not end with 01 00 ({closeReason})");
        }

        if (closeReason is not null && closeReason.StartsWith("SizeLimit", StringComparison.Ordinal) && tail != (1, 1))
        {
            throw new InvalidOperationException($"closed for the size limit but the output does not end with 01 01 ({closeReason})");
        }

        var expect = FirstFramingVerdict(data);
        if (expect is "error" && (closeReason is null || (tail != (1, 0) && tail != (1, 1) && !closeReason.StartsWith("RemoteError", StringComparison.Ordinal))))
        {
            throw new InvalidOperationException($"malformed framing was accepted (close: {closeReason ?? "none"}, output tail {tail})");
        }

        if (expect is "remote-error" && closeReason is null)
        {
            throw new InvalidOperationException("a 01 xx error message from the peer did not close the session");
        }

    }

    /// <summary>Builds a realistic byte stream: what a node teaches after a hello and a resync request.</summary>
    public static byte[] LessonStream(int entries, int seed)
    {
        var time = new FakeTimeProvider(VirtualScheduler.Epoch);
        var tables = s_tables.Select((s, i) => SimTables.Create(s, time, hashSeed: (ulong)(seed * 8) + (ulong)i)).ToArray();
        var rnd = new Random(seed);
        for (var i = 0; i < entries; i++)
        {
            var t = rnd.Next(tables.Length);
            SimTables.Apply(tables[t], SimWorkload.RandomWrite(rnd, s_tables[t], SimWorkload.Key(s_tables[t], rnd.Next(20))));
        }

        var node = new PeerNode(new PeerNodeOptions { LocalPeerName = "nodeb", RemotePeers = ["nodea"], LearnOnStartup = false }, [.. tables.Select(t => new StickTableReplica(t))], time, NullLoggerFactory.Instance, new Random(seed));
        var run = RawPeerOverHost.Accepting(node, time, "nodeb", "nodea");
        run.Send([.. "HAProxyS 2.1\nnodeb\nnodea 1 1\n"u8, 0, 0]);
        var all = run.Output;
        return [.. all.Skip(4)]; // drop "200\n"
    }

    private static void CheckStatusOnly(List<byte> output)
    {
        if (output.Count == 0)
        {
            return;
        }

        var text = Encoding.ASCII.GetString(output.ToArray());
        if (text.Length < 4 || !char.IsAsciiDigit(text[0]) || !char.IsAsciiDigit(text[1]) || !char.IsAsciiDigit(text[2]) || text[3] != '\n')
        {
            throw new InvalidOperationException($"before a valid handshake the node sent something other than a status line: {Convert.ToHexString(output.ToArray())}");
        }
    }

    /// <summary>Independent framing check: "error", "remote-error" or null (clean or incomplete) at the first decisive frame.</summary>
    private static string? FirstFramingVerdict(ReadOnlySpan<byte> s)
    {
        var pos = 0;
        while (s.Length - pos >= 2)
        {
            int cls = s[pos], type = s[pos + 1];
            var size = 2;
            if ((type & 0x80) != 0)
            {
                var rest = s[(pos + 2)..];
                if (!WireTap.TryVarint(rest, out var len, out var n))
                {
                    return rest.Length >= 5 && rest[..5].IndexOfAnyInRange((byte)0, (byte)127) < 0 ? "error" : null;
                }

                if (n > 5 || len > 16384)
                {
                    return "error";
                }

                if (rest.Length - n < (int)len)
                {
                    return null; // incomplete: the node must wait
                }

                size = 2 + n + (int)len;
            }

            if (cls == 255)
            {
                return "error";
            }

            if (cls == 1)
            {
                return "remote-error";
            }

            if (cls == 10 && (type & 0x80) != 0)
            {
                return null; // table messages: their payload may be malformed (an earlier legitimate close), stop judging here
            }

            pos += size;
        }

        return null;
    }
}
