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
}
