// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Replication;

/// <content>
/// The pending-ack window: a peer that stops acknowledging is not pushed more than
/// <see cref="PeerNodeOptions.MaxUnackedUpdates"/> update ids past its last ACK. Nothing is retained
/// for it meanwhile (a push cursor is one id per table; the entries live in the table anyway), so
/// the window bounds the work spent on such a peer and the re-send after a reconnection, not memory.
/// </content>
public sealed partial class PeerNode
{
    /// <summary>Update ids that may still be pushed on table <paramref name="t"/> before the window is full.</summary>
    private long PushWindowRoom(NodeConnection conn, int t)
    {
        var window = _options.MaxUnackedUpdates;
        if (window <= 0)
        {
            return long.MaxValue;
        }

        var room = window - (long)Unacked(conn, t);
        if (room > 0 && conn.PushWindowFull)
        {
            conn.PushWindowFull = false; // an ACK made room: the next stall is logged again
        }

        return room;
    }

    /// <summary>The window of table <paramref name="t"/> is full: log and count it once per stall, if anything waits.</summary>
    private void NotePushWindowFull(NodeConnection conn, int t, DecodedUpdate scratch)
    {
        if (conn.PushWindowFull || !_tables[t].TryReadLocalChange(conn.LastPushed[t], scratch))
        {
            return;
        }

        conn.PushWindowFull = true;
        conn.Peer!.PushWindowStalls++;
        NodeLog.PushWindowFull(_logger, conn.Peer.Name, _tables[t].Schema.Name, Unacked(conn, t));
    }

    /// <summary>Before update <paramref name="id"/> of table <paramref name="t"/> is pushed: opens the window at it if nothing is outstanding.</summary>
    private static void StartPushWindow(NodeConnection conn, int t, uint id)
    {
        if (!conn.WindowFloorSet[t])
        {
            conn.WindowFloor[t] = unchecked(id - 1);
            conn.WindowFloorSet[t] = true;
        }
    }

    /// <summary>Update ids of table <paramref name="t"/> pushed and not acknowledged in this session.</summary>
    private static uint Unacked(NodeConnection conn, int t)
    {
        if (conn.LastPushed[t] == conn.AckedInSession[t])
        {
            // Nothing outstanding (session start, a full ACK, a rewind for a re-push): the next push opens the window.
            conn.WindowFloorSet[t] = false;
        }

        return Outstanding(conn, t);
    }

    /// <summary>
    /// Update ids of table <paramref name="t"/> pushed in this session and not acknowledged, counted
    /// from the first push still outstanding (a fresh peer's base is 2^31 ids back, which is not a lag).
    /// Reads only: snapshots and metrics use it too.
    /// </summary>
    internal static uint Outstanding(NodeConnection conn, int t)
    {
        var last = conn.LastPushed[t];
        if (last == conn.AckedInSession[t])
        {
            return 0;
        }

        var sinceAck = unchecked(last - conn.AckedInSession[t]);
        return conn.WindowFloorSet[t] ? Math.Min(sinceAck, unchecked(last - conn.WindowFloor[t])) : sinceAck;
    }
}
