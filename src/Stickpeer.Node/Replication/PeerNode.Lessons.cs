// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Wire;

namespace Stickpeer.Node.Replication;

/// <content>Lessons: starting to learn or teach, which local changes a lesson must not overwrite, and the re-push after learning.</content>
public sealed partial class PeerNode
{
    /// <summary>
    /// Updates from the session we learn (or learned) from do not overwrite a local change made
    /// after the node started (<see cref="_startMarks"/>). During the lesson that holds whatever
    /// the teacher acknowledged before: an ACK says the teacher held our value then, not that it
    /// still does — a teacher that is still learning itself may since have taken an older value
    /// from a third node's lesson (simulation seeds 986, 102069, 102076). After the end marker the
    /// teacher re-pushes its own entries with the values they had; such a re-push must not overwrite
    /// a write the teacher has not seen, so a local change stays protected until the teacher ACKs it
    /// in this session (<see cref="RepushSinceStart"/> sent it again). Once the teacher has
    /// acknowledged every local change made up to the end of the lesson (or there was none),
    /// updates apply normally again (null).
    /// </summary>
    private long? LessonPreserveMark(NodeConnection conn, int t)
    {
        if (conn.Learning)
        {
            return conn.LessonMark[t];
        }

        var acked = AckedMark(conn, t);
        if (conn.LessonEndMark[t] <= conn.LessonMark[t] || acked >= conn.LessonEndMark[t])
        {
            return null;
        }

        return Math.Max(conn.LessonMark[t], acked);
    }

    /// <summary>
    /// At the end of a lesson: push every local change made since start-up to the teacher again.
    /// The lesson did not overwrite them, but the teacher may hold an older value for those keys
    /// even where it acknowledged ours earlier, and the push position would skip them.
    /// </summary>
    private void RepushSinceStart(NodeConnection conn, int t)
    {
        var table = _tables[t];
        var sinceStart = table.LocalChangeMark - conn.LessonMark[t];
        if (sinceStart <= 0)
        {
            return;
        }

        var newest = table.NewestLocalUpdateId;
        var start = sinceStart >= 0x80000000L ? unchecked(newest + 0x80000000u) : unchecked(newest - (uint)sinceStart);
        if (unchecked((int)(conn.LastPushed[t] - start)) > 0)
        {
            conn.LastPushed[t] = conn.PushBase[t] = conn.AckedInSession[t] = start;
        }

        if (conn.Teaching && unchecked((int)(conn.TeachOrigin[t] - start)) > 0)
        {
            conn.TeachOrigin[t] = start; // the teach we give this peer resumes pushes from there
        }

        var peer = conn.Peer!;
        if (peer.HasAcked[t] && unchecked((int)(peer.Acked[t] - start)) > 0)
        {
            peer.Acked[t] = start; // a later session re-sends them too, should this one end first
        }
    }

    private void StartLearning(NodeConnection conn)
    {
        conn.Learning = true;
        conn.LessonSession = true;
        for (var t = 0; t < _tables.Length; t++)
        {
            // The start mark, not "now": a write made between start-up and this request wins too.
            conn.LessonMark[t] = _startMarks[t];
        }

        EventObserver?.Invoke(conn.Id, $"learn: 00 00 sent, startMarks=[{string.Join(',', conn.LessonMark)}]");
        if (!IsLocalPeer(conn))
        {
            conn.Session.SendControl(ControlMessageType.ResyncRequest); // the old process of a reload teaches unasked
        }
        else
        {
            conn.Session.ExpectLesson(); // unasked, but a lesson all the same: not rate limited
        }
    }

    private void StartTeaching(NodeConnection conn)
    {
        // Any 00 00 (re)starts a full teach from the last acknowledged position.
        conn.Teaching = true;
        conn.TeachEndSent = false;
        conn.TeachTable = 0;
        conn.TeachTableDefined = false;
        conn.TeachCursor = null;
        conn.TeachEntries = 0;
        for (var t = 0; t < _tables.Length; t++)
        {
            // Where normal pushes resume after the lesson: our newest local id now. Every entry changed
            // up to here is in the lesson (the walk sees every live entry); later changes get newer ids
            // and are pushed after 00 03. (Resuming from the peer's acked id, as before, sent a fresh
            // peer every local entry a second time, as HAProxy does.)
            conn.TeachOrigin[t] = _tables[t].NewestLocalUpdateId;
        }

        EventObserver?.Invoke(conn.Id, "teach: 00 00 received");
        NodeLog.TeachStarted(_logger, conn.Ref);
        Coordinator.Post(new SyncEvent(SyncEventKind.TeachStarted, conn.Ref));
    }
}
