// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Diagnostics;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Node.Replication;

/// <content>
/// What a peer controls and the node bounds outside the session's own checks: table definitions
/// it cannot use, input the transport cannot hold, and a peer that stops reading
/// (docs/security.md, "Limits on what a peer controls").
/// </content>
public sealed partial class PeerNode
{
    // A peer sets the pace of unusable DEFINEs (up to the table-id limit per session, session after
    // session): one line per interval, with the count held back, and every one counted in the metric.
    private static readonly TimeSpan UnusableTableLogInterval = TimeSpan.FromSeconds(10);
    private RepeatLimiter? _unusableTableLog;

    // Stalls are looked for once a second, not every tick: a pass over every connection every 100 ms
    // was 2.7 % of an idle 100-node mesh's CPU (perf), for a warning that waits 5 s anyway.
    private static readonly TimeSpan OutputStallCheckInterval = TimeSpan.FromSeconds(1);
    private DateTimeOffset _nextStallCheck;

    /// <summary>
    /// The transport of <paramref name="id"/> holds <paramref name="buffered"/> bytes without a
    /// complete message and will not buffer more: the session answers <c>01 01</c> and closes. False
    /// when there is no established session to answer (the transport then just closes).
    /// </summary>
    public bool RefuseInput(ConnectionId id, long buffered)
    {
        if (!_connections.TryGetValue(id, out var conn))
        {
            return false;
        }

        bool refused;
        using (_logger.BeginScope(conn.LogScope))
        {
            refused = conn.Session.RefuseInput(buffered);
        }

        AfterCall();
        return refused;
    }

    internal void OnTableUnusable(NodeConnection conn, DecodedDefine definition)
    {
        var reason = SnakeCase(definition.IgnoreReason.ToString());
        CountIgnoredTable(conn, reason);
        _unusableTableLog ??= new RepeatLimiter(UnusableTableLogInterval, _time);
        if (_unusableTableLog.ShouldLog(out var heldBack))
        {
            NodeLog.TableUnusable(_logger, conn.Peer?.Name ?? "?", definition.Name, reason, definition.KeyTypeCode, definition.KeySize, heldBack);
        }
    }

    private bool OutputStallCheckDue(DateTimeOffset now)
    {
        if (now < _nextStallCheck)
        {
            return false;
        }

        _nextStallCheck = now + OutputStallCheckInterval;
        return true;
    }

    private static void CountIgnoredTable(NodeConnection conn, string reason)
    {
        if (conn.Peer is { } peer)
        {
            peer.TablesIgnored[reason] = peer.TablesIgnored.GetValueOrDefault(reason) + 1;
        }
    }

    /// <summary>
    /// Called every tick: output that waits while not one byte of it is written for
    /// <see cref="PeerNodeOptions.OutputStallWarning"/> means the peer stopped reading. The node
    /// already stops producing for it (the output bound); this makes the stall visible, once per stall.
    /// </summary>
    private void CheckOutputStall(NodeConnection conn, DateTimeOffset now)
    {
        var pending = conn.Session.Output.PendingBytes;
        if (pending == 0 && conn.StallSince is null)
        {
            return; // the usual case, every tick for every connection: nothing waits
        }

        if (pending == 0 || conn.BytesSent != conn.StallMark || !conn.Session.IsEstablished)
        {
            if (conn.StallReported && conn.StallSince is { } since)
            {
                NodeLog.OutputResumed(_logger, conn.Peer?.Name ?? "?", (long)(now - since).TotalSeconds);
            }

            conn.StallMark = conn.BytesSent;
            conn.StallSince = pending == 0 ? null : now;
            conn.StallReported = false;
            return;
        }

        var start = conn.StallSince ??= now;
        if (!conn.StallReported && _options.OutputStallWarning > TimeSpan.Zero && now - start >= _options.OutputStallWarning && conn.Peer is { } peer)
        {
            conn.StallReported = true;
            peer.OutputStalls++;
            NodeLog.OutputStalled(_logger, peer.Name, (long)(now - start).TotalSeconds, pending);
        }
    }

    // "InvalidKeySize" -> "invalid_key_size": the label values of stickpeer.peer.tables_ignored.
    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : string.Empty) + char.ToLowerInvariant(c) : c.ToString()));
}
