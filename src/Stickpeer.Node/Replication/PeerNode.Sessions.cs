// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Handshake;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Session;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Node.Replication;

/// <content>Session callbacks: handshake decisions, collisions, session end, received messages.</content>
public sealed partial class PeerNode
{
    internal HandshakeStatus OnHello(NodeConnection conn, string peerName)
    {
        if (string.Equals(peerName, _options.LocalPeerName, StringComparison.Ordinal))
        {
            return OnLocalHello(conn);
        }

        if (Handover != HandoverPhase.None && _peers.ContainsKey(peerName))
        {
            // Handing over (soft stop): the peer must talk to the new process, "try again later".
            return HandshakeStatus.TryAgain;
        }

        if (!_peers.TryGetValue(peerName, out var peer))
        {
            return HandshakeStatus.UnknownPeer;
        }

        if (peer.Current is { } old && old != conn)
        {
            // Collision: the newer valid inbound session replaces the older one (spec §1.7).
            peer.Collisions++;
            NodeLog.Collision(_logger, peer.Name, conn.Id, old.Id);
            DetachFromPeer(old, "replaced by a newer session");
            old.Session.Close(SessionCloseReason.Local, "replaced by a newer session from the same peer");
            peer.ReconnectAt = _time.GetUtcNow() + RandomBackoff();
        }

        conn.Peer = peer;
        peer.Current = conn;
        peer.NoRetry = false;
        return HandshakeStatus.Success;
    }

    internal void OnEstablished(NodeConnection conn)
    {
        LeavePending(conn.Id);
        var peer = conn.Peer!;
        conn.Generation = ++_nextGeneration;
        peer.LastStatus = 200;
        peer.NoRetry = false;
        peer.SessionsEstablished++;
        peer.LastHandshakeAt = _time.GetUtcNow();
        for (var t = 0; t < _tables.Length; t++)
        {
            var newest = _tables[t].NewestLocalUpdateId;
            var acked = peer.Acked[t];
            if (!peer.HasAcked[t] || (int)(newest - acked) < 0)
            {
                // Never acknowledged (a fresh peer), or acknowledged "in the future" (spec §5.4):
                // push every local change still in the id window, even across a 32-bit wrap.
                acked = unchecked(newest + 0x80000000u);
            }

            conn.LastPushed[t] = conn.PushBase[t] = conn.AckedInSession[t] = acked;
        }

        EventObserver?.Invoke(conn.Id, $"established {conn.Ref} pushBase=[{string.Join(',', conn.PushBase)}]");
        if (peer.LastFailure is not null)
        {
            NodeLog.PeerReachableAgain(_logger, peer.Name, peer.RepeatedFailures + 1, peer.LastFailure);
            peer.LastFailure = null;
            peer.RepeatedFailures = 0;
        }

        NodeLog.SessionUp(_logger, peer.Name, conn.Ref, conn.Id);
        Coordinator.Post(new SyncEvent(SyncEventKind.SessionEstablished, conn.Ref));
        OnLocalEstablished(conn);
    }

    internal int OnDefine(NodeConnection conn, TableSchema schema)
    {
        for (var t = 0; t < _tables.Length; t++)
        {
            if (_tables[t].Schema.IsWireCompatibleWith(schema))
            {
                return t + 1;
            }
        }

        foreach (var table in _tables)
        {
            var ours = table.Schema;
            if (string.Equals(ours.Name, schema.Name, StringComparison.Ordinal) && (conn.MismatchReported ??= new(StringComparer.Ordinal)).Add(schema.Name))
            {
                // Same table, another key type or size: ignored for this session, as HAProxy does (it
                // says nothing); a warning here, since no entry of that table will ever be exchanged.
                NodeLog.TableKeyMismatch(_logger, conn.Peer?.Name ?? "?", schema.Name, schema.KeyType, schema.KeySize, ours.KeyType, ours.KeySize);
                CountIgnoredTable(conn, "key_mismatch");
                break;
            }
        }

        return 0;
    }

    internal void OnUpdate(NodeConnection conn, int localTableId, DecodedUpdate update)
    {
        var t = localTableId - 1;
        if ((uint)t >= (uint)_tables.Length)
        {
            return;
        }

        // No lost writes while learning: a local change made after start wins over the lesson.
        conn.LastGet[t] = update.UpdateId;
        if (!ShouldApplyDuringHandover(conn, t, update))
        {
            conn.Peer!.LessonUpdatesKeptLocal++;
            return;
        }

        var mark = conn.LessonSession ? LessonPreserveMark(conn, t) : null;
        UpdateObserver?.Invoke(conn.Id, t, update, $"recv id={update.UpdateId} learning={conn.Learning} lessonSession={conn.LessonSession} mark={mark} ackedMark={AckedMark(conn, t)}");
        var result = _tables[t].ApplyRemoteFrom(conn.Peer!.Name, update, mark);
        UpdateObserver?.Invoke(conn.Id, t, update, $"applied {result}");
        if (result == RemoteApplyResult.KeptLocalNewer)
        {
            conn.Peer!.LessonUpdatesKeptLocal++;
            NodeLog.LessonKeptLocalWrite(_logger, conn.Ref);
        }
    }

    internal void OnAck(NodeConnection conn, int localTableId, uint updateId)
    {
        var t = localTableId - 1;
        var peer = conn.Peer!;
        if ((uint)t >= (uint)_tables.Length)
        {
            peer.ImpossibleAcks++;
            return;
        }

        if (conn.Teaching)
        {
            return; // ACKs are ignored while teaching (spec §5.3).
        }

        var from = conn.PushBase[t];
        var to = conn.LastPushed[t];
        var distance = unchecked(updateId - from);
        if (distance == 0 || distance > unchecked(to - from))
        {
            peer.ImpossibleAcks++;
            NodeLog.ImpossibleAck(_logger, peer.Name, updateId, _tables[t].Schema.Name, from, to);
            return;
        }

        if (distance > unchecked(conn.AckedInSession[t] - from))
        {
            conn.AckedInSession[t] = updateId;
            peer.Acked[t] = updateId;
            peer.HasAcked[t] = true;
            EventObserver?.Invoke(conn.Id, $"ack t{t} id={updateId} ackedMark={AckedMark(conn, t)} localMark={_tables[t].LocalChangeMark}");
        }
    }

    internal void OnControl(NodeConnection conn, ControlMessageType control)
    {
        switch (control)
        {
            case ControlMessageType.ResyncRequest:
                StartTeaching(conn);
                break;
            case ControlMessageType.ResyncFinished:
            case ControlMessageType.ResyncPartial:
                // The session already sent 00 03. Post the end marker; the coordinator decides whether it counts.
                if (conn.Learning)
                {
                    for (var t = 0; t < _tables.Length; t++)
                    {
                        conn.LessonEndMark[t] = _tables[t].LocalChangeMark;
                        RepushSinceStart(conn, t);
                    }
                }

                EventObserver?.Invoke(conn.Id, $"lesson end {control} learning={conn.Learning} endMarks=[{string.Join(',', conn.LessonEndMark)}] startMarks=[{string.Join(',', conn.LessonMark)}]");
                conn.Learning = false;
                Coordinator.Post(new SyncEvent(
                    control == ControlMessageType.ResyncFinished ? SyncEventKind.LessonFinished : SyncEventKind.LessonPartial, conn.Ref));
                break;
            case ControlMessageType.ResyncConfirm:
                if (conn.Teaching && conn.TeachEndSent)
                {
                    for (var t = 0; t < _tables.Length; t++)
                    {
                        conn.LastPushed[t] = conn.PushBase[t] = conn.AckedInSession[t] = conn.TeachOrigin[t];
                        if (conn.Peer!.HasAcked[t])
                        {
                            conn.Peer.Acked[t] = conn.TeachOrigin[t];
                        }
                    }

                    EventObserver?.Invoke(conn.Id, "teach confirmed: push from the teach origin");
                    conn.Teaching = false;
                    conn.TeachEndSent = false;
                    conn.TeachCursor = null;
                    NodeLog.TeachConfirmed(_logger, conn.Ref);
                    Coordinator.Post(new SyncEvent(SyncEventKind.TeachConfirmed, conn.Ref));
                    OnLocalLessonConfirmed(conn, conn.TeachEntries);
                }

                break;
        }
    }

    internal void OnSessionClosed(NodeConnection conn, SessionCloseReason reason, string detail)
    {
        NoteIfHandshakeUnreadable(conn, reason);
        var peer = conn.Peer;
        if (peer is not null && peer.Current == conn)
        {
            peer.SessionEnds[reason] = peer.SessionEnds.GetValueOrDefault(reason) + 1;
            if (conn.Session.Counters.ProtocolErrorKind is { } kind)
            {
                peer.ProtocolErrorKinds[kind] = peer.ProtocolErrorKinds.GetValueOrDefault(kind) + 1;
            }

            switch (reason)
            {
                case SessionCloseReason.StatusRejected:
                    peer.LastStatus = conn.Session.Status;
                    peer.NoRetry = conn.Session.Status is >= 500 and < 600;
                    break;
                case SessionCloseReason.ProtocolError:
                case SessionCloseReason.SizeLimit:
                    peer.ProtocolErrors++;
                    break;
                case SessionCloseReason.PeerDead:
                    peer.DeadPeerTimeouts++;
                    break;
            }

            if (conn.Generation > 0)
            {
                var backoff = _time.GetUtcNow() + RandomBackoff();
                if (backoff > peer.ReconnectAt)
                {
                    peer.ReconnectAt = backoff;
                }
            }

            DetachFromPeer(conn, reason + ": " + detail);
        }

        if (!conn.TransportClosed && !conn.CloseRequested)
        {
            conn.CloseRequested = true;
            _actions.Enqueue(new NodeAction(NodeActionKind.Close, conn.Id, peer?.Name, reason + ": " + detail));
        }
    }

    /// <summary>Makes <paramref name="conn"/> no longer its peer's session and tells the coordinator (once).</summary>
    private void DetachFromPeer(NodeConnection conn, string why)
    {
        var peer = conn.Peer;
        if (peer is null || peer.Current != conn)
        {
            return;
        }

        peer.Current = null;
        peer.EndedTraffic = peer.EndedTraffic.Add(conn.Session.Counters, conn.BytesSent);
        EventObserver?.Invoke(conn.Id, $"session down ({why})");
        if (conn.Generation == 0 && string.Equals(peer.LastFailure, why, StringComparison.Ordinal))
        {
            // The same failure again (an absent peer refusing every 5 s): counted, logged at debug.
            peer.RepeatedFailures++;
            NodeLog.SessionFailedAgain(_logger, peer.Name, conn.Id, why, peer.RepeatedFailures);
        }
        else
        {
            NodeLog.SessionDown(_logger, peer.Name, conn.Id, why);
            peer.LastFailure = conn.Generation == 0 ? why : null;
            peer.RepeatedFailures = 0;
        }
        if (conn.Generation > 0)
        {
            Coordinator.Post(new SyncEvent(SyncEventKind.SessionEnded, conn.Ref));
        }

        conn.Teaching = false;
        conn.Learning = false;
        conn.TeachCursor = null;
    }

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
