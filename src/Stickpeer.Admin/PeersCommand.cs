// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text;
using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Session;

namespace Stickpeer.Admin;

/// <summary>
/// <c>show peers [dict|-] [section]</c> in HAProxy 2.6's layout. Addresses are stable identifiers,
/// not memory addresses; fields Stickpeer has no equivalent for print as HAProxy's idle values.
/// </summary>
internal static class PeersCommand
{
    public static string Show(AdminContext context, List<string> words)
    {
        var i = 2;
        var dict = false;
        if (i < words.Count && words[i] is "dict" or "-")
        {
            dict = words[i] == "dict";
            i++;
        }

        var only = i < words.Count ? words[i] : null;
        var sections = context.Node.Configuration.PeersSections.Where(s => !s.Disabled).ToList();
        if (only is not null && !sections.Exists(s => s.Name == only))
        {
            return "No such peers\n";
        }

        return context.Invoke(() =>
        {
            var sb = new StringBuilder();
            var ci = CultureInfo.InvariantCulture;
            // HAProxy prints the section's last change in local time (get_localtime); the zone
            // comes from the TimeProvider so tests can pin it like the instant.
            var started = TimeZoneInfo.ConvertTime(context.StartedAt, context.Time.LocalTimeZone);
            foreach (var section in sections.Where(s => only is null || s.Name == only))
            {
                var node = context.Node.Sections[section.Name];
                var snapshot = node.GetSnapshot();
                sb.Append(ci, $"{Address(section.Name)}: [{started.ToString("dd/MMM/yyyy:HH:mm:ss", ci)}] id={section.Name} disabled=0 flags=0x{Flags(snapshot):x} resync_timeout=<PAST> task_calls=0\n");

                // HAProxy walks its peer list, which holds the configuration in reverse order.
                foreach (var peer in section.Peers.Reverse())
                {
                    var p = snapshot.Peers.FirstOrDefault(x => x.Name == peer.Name);
                    var active = p?.SessionState is { } st && st != PeerSessionState.Closed;
                    var addr = peer.Address?.ToString() ?? section.Listener.Address.ToString();
                    sb.Append(ci, $"  {Address(section.Name + "/" + peer.Name)}: id={peer.Name}({(peer.IsLocal ? "local" : "remote")},{(active ? "active" : "inactive")}) addr={addr} last_status={p?.LastStatusName ?? "NONE"} last_hdshk={(p?.SinceHandshake is { } h ? HumanTime(h) : "<NEVER>")}\n");
                    var reconnect = p?.ReconnectIn is { } r ? (r <= TimeSpan.Zero ? "<PAST>" : HumanTime(r)) : "<NEVER>";
                    var heartbeat = p?.HeartbeatIn is { } hb ? HumanTime(hb) : "<NEVER>";
                    var counters = p?.SessionCounters;
                    sb.Append(ci, $"        reconnect={reconnect} heartbeat={heartbeat} confirm=0 tx_hbt={counters?.HeartbeatsSent ?? 0} rx_hbt={counters?.HeartbeatsReceived ?? 0} no_hbt={p?.DeadPeerTimeouts ?? 0} new_conn={p?.ConnectAttempts ?? 0} proto_err={p?.ProtocolErrors ?? 0} coll={p?.Collisions ?? 0}\n");
                    sb.Append("        flags=0x0");
                    if (active)
                    {
                        sb.Append(ci, $" appctx:{Address("appctx/" + peer.Name + "/" + p!.Generation)} st0={StateNumber(p.SessionState)} st1=0 task_calls=0 state=EST");
                    }

                    sb.Append('\n');
                    sb.Append("        shared tables:\n");
                    var tableIndex = 0;
                    foreach (var table in section.Tables.Reverse())
                    {
                        tableIndex++;
                        var t = p?.Tables.FirstOrDefault(x => x.Table == table.WireName);
                        var local = context.Tables.TryGetByLocalName(table.LocalName, out var st2) ? st2 : null;
                        sb.Append(ci, $"          {Address(section.Name + "/" + peer.Name + "/" + table.LocalName)} local_id={t?.LocalId ?? (uint)tableIndex} remote_id={t?.RemoteId ?? 0} flags=0x0 remote_data=0x0\n");
                        sb.Append(ci, $"              last_acked={t?.Acked ?? 0} last_pushed={t?.LastPushed ?? 0} last_get={t?.LastGet ?? 0} teaching_origin={t?.TeachOrigin ?? 0} update=0\n");
                        sb.Append(ci, $"              table:{Address(table.LocalName)} id={table.LocalName} update={local?.NewestLocalUpdateId ?? 0} localupdate={local?.NewestLocalUpdateId ?? 0} commitupdate=0 refcnt=1\n");
                        sb.Append(dict ? "        TX dictionary cache:\n        RX dictionary cache:\n" : "        Dictionary cache not dumped (use \"show peers dict\")\n");
                    }
                }
            }

            return sb.ToString();
        });
    }

    // The resync bits HAProxy 2.6 and 3.x share: 0x1 = learning from the local (old) process is over,
    // 0x2 = learning from a remote peer is over; both = finished (scripts and `stickpeer top --socket` read them).
    private static int Flags(PeerNodeSnapshot snapshot) => snapshot.SyncState switch
    {
        SyncState.Finished => 0x3,
        SyncState.FromRemote => 0x1,
        _ => 0x0,
    };

    private static int StateNumber(PeerSessionState? state) => state switch
    {
        PeerSessionState.Created => 0,
        PeerSessionState.AwaitingHello => 1,
        PeerSessionState.AwaitingStatus => 3,
        PeerSessionState.Established => 7,
        _ => 6,
    };

    /// <summary>
    /// HAProxy's <c>human_time</c> at one-second resolution: at most two units of d/h/m/s, the
    /// zero ones skipped (<c>0s</c>, <c>5s</c>, <c>1m</c>, <c>1m5s</c>, <c>2h3m</c>, <c>1d4h</c>).
    /// </summary>
    internal static string HumanTime(TimeSpan t)
    {
        const long Minute = 60, Hour = 3600, Day = 86400;
        var s = Math.Max(0, (long)t.TotalSeconds);
        var sb = new StringBuilder();
        var count = 2;
        if (s >= Day)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{s / Day}d");
            count--;
        }

        if (count > 0 && s % Day / Hour != 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{s % Day / Hour}h");
            count--;
        }

        if (count > 0 && s % Hour / Minute != 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{s % Hour / Minute}m");
            count--;
        }

        if ((count > 0 && s % Minute != 0) || s == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{s % Minute}s");
        }

        return sb.ToString();
    }

    private static string Address(string name) =>
        "0x" + ((ulong)(uint)StableHash(name) << 12 | 0x550000000000UL).ToString("x", CultureInfo.InvariantCulture);

    private static int StableHash(string s)
    {
        var h = 17;
        foreach (var c in s)
        {
            h = unchecked((h * 31) + c);
        }

        return h;
    }
}
