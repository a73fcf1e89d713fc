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

        var room = window - (long)unchecked(conn.LastPushed[t] - conn.AckedInSession[t]);
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
        NodeLog.PushWindowFull(_logger, conn.Peer.Name, _tables[t].Schema.Name, unchecked(conn.LastPushed[t] - conn.AckedInSession[t]));
    }
}
