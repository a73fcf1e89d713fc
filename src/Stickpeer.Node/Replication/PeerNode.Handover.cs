// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Handshake;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Session;

namespace Stickpeer.Node.Replication;

/// <content>
/// Reload hand-over through the local peer (HAProxy's <c>-sf</c>). The old process, told to stop
/// softly, closes its sessions with remote peers, connects to the new process under their shared peer
/// name and teaches it every entry unasked; once the new process confirms (<c>00 03</c>) it may exit.
/// The new process waits for that lesson (FROMLOCAL) before it asks any remote peer.
/// </content>
public sealed partial class PeerNode
{
    /// <summary>Delay between the old process's attempts to reach the new one (the new one binds after the old lets go).</summary>
    public static readonly TimeSpan HandoverRetryInterval = TimeSpan.FromMilliseconds(200);

    // The other process of a reload: same name as us, never in _peers/_peerList (no reconnect timer,
    // not in show peers). Created on demand by either side.
    private RemotePeer? _localPeer;

    // New process, while FROMLOCAL: per table, the keys a remote peer updated here since start. The
    // old process's lesson is older than those (it closed its remote sessions before it connected to
    // us), so it must not overwrite them. Null when no hand-over is awaited.
    private HashSet<string>[]? _updatedDuringHandover;

    private DateTimeOffset _handoverStarted;
    private DateTimeOffset _handoverDeadline;
    private DateTimeOffset _handoverRetryAt;
    private long _handoverAttempts;

    /// <summary>The old-process side of a reload hand-over (<see cref="BeginHandover"/>).</summary>
    public HandoverPhase Handover { get; private set; }

    /// <summary>
    /// New process of a reload: accept the old process (a hello naming our own peer name) and learn its
    /// tables first, for at most the resync window; remote peers are asked only after that. Call before
    /// the first <see cref="Tick"/>.
    /// </summary>
    public void ExpectLocalTeacher()
    {
        _localPeer ??= new RemotePeer(_options.LocalPeerName, _tables.Length);
        _updatedDuringHandover = [.. _tables.Select(_ => new HashSet<string>(StringComparer.Ordinal))];
        Coordinator.WaitForLocalTeacher(_options.LocalPeerName, _time.GetUtcNow());
        NodeLog.HandoverAwaited(_logger, _options.ResyncWindow.TotalSeconds, _options.LocalPeerName);
    }

    /// <summary>
    /// Old process of a reload (soft stop): close every remote session and stop reconnecting, then connect
    /// to the local peer's address (where the new process listens) and teach it every entry. Poll
    /// <see cref="Handover"/> until it is <see cref="HandoverPhase.Done"/> or <see cref="HandoverPhase.Failed"/>
    /// (after <paramref name="timeout"/>). The host must have stopped listening first.
    /// </summary>
    public void BeginHandover(TimeSpan timeout)
    {
        if (Handover != HandoverPhase.None)
        {
            return;
        }

        var now = _time.GetUtcNow();
        Handover = HandoverPhase.Running;
        _handoverStarted = now;
        _handoverDeadline = now + timeout;
        _localPeer ??= new RemotePeer(_options.LocalPeerName, _tables.Length);
        var closed = 0;
        foreach (var peer in _peerList)
        {
            if (peer.Current is { } conn)
            {
                // Remote peers reconnect to the new process, which learns what we held from our lesson.
                conn.Session.Close(SessionCloseReason.Local, "soft stop: the new process takes over");
                closed++;
            }
        }

        NodeLog.HandoverStarted(_logger, closed, _options.LocalPeerName);
        StartHandoverConnect(now);
        AfterCall();
    }

    private bool IsLocalPeer(NodeConnection conn) => conn.Peer is { } p && ReferenceEquals(p, _localPeer);

    private bool TryFindPeer(string name, out RemotePeer peer)
    {
        if (_localPeer is { } local && string.Equals(name, local.Name, StringComparison.Ordinal))
        {
            peer = local;
            return true;
        }

        return _peers.TryGetValue(name, out peer!);
    }

    /// <summary>A hello naming our own peer name: the old process of a reload, accepted only while we wait for it.</summary>
    private HandshakeStatus OnLocalHello(NodeConnection conn)
    {
        if (_updatedDuringHandover is null || Coordinator.State != SyncState.FromLocal || _localPeer is not { Current: null } local)
        {
            // Not expecting a hand-over, or a lesson from the old process already runs: "try again later".
            NodeLog.LocalPeerRefused(_logger, conn.Id);
            return HandshakeStatus.TryAgain;
        }

        conn.Peer = local;
        local.Current = conn;
        return HandshakeStatus.Success;
    }

    /// <summary>Called from <see cref="OnEstablished"/>: the old process teaches as soon as its local session is up.</summary>
    private void OnLocalEstablished(NodeConnection conn)
    {
        if (Handover == HandoverPhase.Running && conn.Outbound && IsLocalPeer(conn))
        {
            StartTeaching(conn);
        }
    }

    /// <summary>Called on <c>00 03</c> after our lesson: the hand-over is complete.</summary>
    private void OnLocalLessonConfirmed(NodeConnection conn, long entries)
    {
        if (Handover == HandoverPhase.Running && IsLocalPeer(conn))
        {
            Handover = HandoverPhase.Done;
            NodeLog.HandoverDone(_logger, entries);
            conn.Session.Close(SessionCloseReason.Local, "hand-over complete");
        }
    }

    /// <summary>
    /// New process: false when an update must not be applied — one from the old process for a key a
    /// remote peer has updated here since start. Remembers keys remote peers update while FROMLOCAL.
    /// </summary>
    private bool ShouldApplyDuringHandover(NodeConnection conn, int t, DecodedUpdate update)
    {
        if (_updatedDuringHandover is not { } updated)
        {
            return true;
        }

        if (Coordinator.State != SyncState.FromLocal)
        {
            _updatedDuringHandover = null; // the local lesson is over: nothing older can arrive any more
            return true;
        }

        var key = Convert.ToHexString(update.Key);
        if (!IsLocalPeer(conn))
        {
            updated[t].Add(key);
            return true;
        }

        if (updated[t].Contains(key))
        {
            NodeLog.HandoverKeptNewer(_logger);
            return false;
        }

        return true;
    }

    /// <summary>From <see cref="Tick"/>: the old process retries the local peer until the deadline.</summary>
    private void TickHandover(DateTimeOffset now)
    {
        if (Handover != HandoverPhase.Running)
        {
            return;
        }

        if (now >= _handoverDeadline)
        {
            Handover = HandoverPhase.Failed;
            NodeLog.HandoverFailed(_logger, (now - _handoverStarted).TotalSeconds, _handoverAttempts);
            _localPeer!.Current?.Session.Close(SessionCloseReason.Local, "hand-over deadline");
            return;
        }

        if (_localPeer!.Current is null && now >= _handoverRetryAt)
        {
            StartHandoverConnect(now);
        }
    }

    private void StartHandoverConnect(DateTimeOffset now)
    {
        _handoverAttempts++;
        _handoverRetryAt = now + HandoverRetryInterval;
        StartConnect(_localPeer!, now);
    }
}
