// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Wire;

namespace Stickpeer.Node.Replication;

/// <content>Send passes: normal pushes of local changes and lessons.</content>
public sealed partial class PeerNode
{
    private void SendPass(NodeConnection conn)
    {
        conn.MorePending = false;
        if (!conn.Session.IsEstablished || conn.Peer is null || conn.Peer.Current != conn)
        {
            return;
        }

        if (conn.Session.Output.PendingBytes > PendingLimit(conn))
        {
            conn.MorePending = true;
            return;
        }

        var budget = Math.Max(1, _options.MaxUpdatesPerPass);
        if (conn.Teaching)
        {
            if (!conn.TeachEndSent)
            {
                TeachStep(conn, budget);
            }

            return; // normal pushes are suspended until 00 03
        }

        if (conn.Learning || IsLocalPeer(conn))
        {
            // No pushes to our teacher until the lesson ends; none ever between the two processes of a
            // reload (the old one only teaches, then leaves).
            return;
        }

        PushStep(conn, budget);
    }

    /// <summary>Output bytes above which no more updates are queued on <paramref name="conn"/>.</summary>
    private int PendingLimit(NodeConnection conn) => conn.Teaching ? _options.MaxPendingTeachBytes : _options.MaxPendingOutputBytes;

    private void PushStep(NodeConnection conn, int budget)
    {
        DateTimeOffset? now = null; // one clock read per pass, only when something is sent
        for (var t = 0; t < _tables.Length && budget > 0; t++)
        {
            var table = _tables[t];
            var scratch = _scratch[t];
            var previous = conn.LastPushed[t];
            var first = true;
            var room = PushWindowRoom(conn, t);
            while (budget > 0 && room > 0 && table.TryReadLocalChange(conn.LastPushed[t], scratch))
            {
                if (conn.CurrentTxTable != t)
                {
                    conn.Session.SendDefine(t + 1, table.Schema);
                    conn.CurrentTxTable = t;
                    first = true;
                }

                var id = scratch.UpdateId;
                var explicitId = !_options.UseImplicitUpdateIds || first || previous == 0 || id != unchecked(previous + 1);
                now ??= _time.GetUtcNow();
                conn.Session.SendUpdate(scratch, timed: false, explicitId, now.Value);
                UpdateObserver?.Invoke(conn.Id, t, scratch, $"push id={id}");
                StartPushWindow(conn, t, id);
                conn.LastPushed[t] = previous = id;
                first = false;
                budget--;
                room = PushWindowRoom(conn, t);
            }

            if (room <= 0)
            {
                NotePushWindowFull(conn, t, scratch);
            }
        }

        conn.MorePending = budget == 0;
    }

    private void TeachStep(NodeConnection conn, int budget)
    {
        var now = _time.GetUtcNow();
        while (conn.TeachTable < _tables.Length)
        {
            var t = conn.TeachTable;
            var table = _tables[t];
            if (!conn.TeachTableDefined)
            {
                // Every table is defined during a lesson, even an empty one.
                conn.Session.SendDefine(t + 1, table.Schema);
                conn.CurrentTxTable = t;
                conn.TeachTableDefined = true;
                conn.TeachCursor = table.StartTeach();
            }

            var scratch = _scratch[t];
            var first = true;
            uint previous = 0;
            var implicitIds = _options.UseImplicitIdsInLessons || _options.UseImplicitUpdateIds;
            while (budget > 0 && conn.TeachCursor!.TryReadNext(scratch))
            {
                var id = scratch.UpdateId;
                // The learner computes an implicit id as previous + 1; like HAProxy, never across the 2^32 wrap.
                var explicitId = !implicitIds || first || id != unchecked(previous + 1) || id == 0;
                conn.Session.SendUpdate(scratch, timed: true, explicitId, now);
                UpdateObserver?.Invoke(conn.Id, t, scratch, $"teach id={id}");
                previous = id;
                first = false;
                budget--;
                conn.TeachEntries++;
            }

            if (budget == 0)
            {
                conn.MorePending = true;
                return;
            }

            conn.TeachTable++;
            conn.TeachTableDefined = false;
            conn.TeachCursor = null;
        }

        // A table restored from disk is as complete as when this node stopped: after a restart of
        // every node that is the best data there is, and learners must take it (docs/persistence.md).
        var finished = Coordinator.State == SyncState.Finished || _restored;
        conn.Session.SendControl(finished ? ControlMessageType.ResyncFinished : ControlMessageType.ResyncPartial);
        conn.TeachEndSent = true;
        conn.Peer!.LessonsTaught++;
        NodeLog.TeachSent(_logger, conn.Ref, conn.TeachEntries, finished);
    }
}
