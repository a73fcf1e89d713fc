// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace Stickpeer.Node.Replication;

/// <summary>
/// The section-level resync state machine: FROMREMOTE → FINISHED, which peer we learn from,
/// whom we teach. It never references a session object: it knows peers by name and
/// sessions by <see cref="SessionRef"/> (peer + generation). Events are queued with
/// <see cref="Post"/> and committed in order by <see cref="Process"/>, so an event from a
/// session that has meanwhile ended is still handled correctly (a completed lesson counts,
/// see spec §9.7), and an event whose generation is stale is ignored.
/// </summary>
public sealed class SyncCoordinator
{
    private readonly string[] _peers;
    private readonly TimeSpan _window;
    private readonly ILogger _logger;
    private readonly Queue<SyncEvent> _events = new();
    private readonly Dictionary<string, long> _live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _notUpToDate = new(StringComparer.Ordinal);
    private readonly HashSet<SessionRef> _teaching = [];
    private readonly bool _learn;
    private string? _localPeer;

    /// <summary>Creates a coordinator for the given remote peers (configuration order = asking order).</summary>
    public SyncCoordinator(IReadOnlyList<string> remotePeers, bool learn, TimeSpan window, DateTimeOffset now, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(remotePeers);
        ArgumentNullException.ThrowIfNull(logger);
        _peers = [.. remotePeers];
        _window = window;
        _logger = logger;
        _learn = learn;
        State = learn && _peers.Length > 0 ? SyncState.FromRemote : SyncState.Finished;
        WindowDue = State == SyncState.FromRemote ? now + window : null;
        StartedAt = now;
        FinishedAt = State == SyncState.Finished ? now : null;
    }

    /// <summary>The section state.</summary>
    public SyncState State { get; private set; }

    /// <summary>When the coordinator was created (the node's start).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When the section reached <see cref="SyncState.Finished"/> (learned, or gave up waiting); null until then.</summary>
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>The session we asked for a lesson and whose end marker we have not committed yet.</summary>
    public SessionRef? Learning { get; private set; }

    /// <summary>When FROMREMOTE gives up waiting for a teacher (only while no lesson is assigned).</summary>
    public DateTimeOffset? WindowDue { get; private set; }

    /// <summary>Sessions we are teaching (from <c>00 00</c> until <c>00 03</c> or their end).</summary>
    public IReadOnlyCollection<SessionRef> Teaching => _teaching;

    /// <summary>Events ignored because their session was not the one they referred to (stale generation or unsolicited).</summary>
    public long IgnoredEvents { get; private set; }

    /// <summary>Lessons committed (finished or partial).</summary>
    public long LessonsCompleted { get; private set; }

    /// <summary>Lessons aborted because their session ended before the end marker.</summary>
    public long LessonsAborted { get; private set; }

    /// <summary>Number of events not processed yet.</summary>
    public int PendingEvents => _events.Count;

    /// <summary>Queues an event; it takes effect at the next <see cref="Process"/>.</summary>
    public void Post(SyncEvent e) => _events.Enqueue(e);

    /// <summary>True when <paramref name="peer"/> answered PARTIAL in its current session (it is not asked again until it reconnects).</summary>
    public bool IsNotUpToDate(string peer) =>
        _notUpToDate.TryGetValue(peer, out var g) && _live.TryGetValue(peer, out var live) && g == live;

    /// <summary>
    /// A reload hand-over: learn first from the old process, which connects as <paramref name="localPeer"/>
    /// (FROMLOCAL, like HAProxy's resync from the local peer), then from remote peers as usual if it does
    /// not teach a complete lesson within the resync window. Call before the first <see cref="Process"/>.
    /// </summary>
    public void WaitForLocalTeacher(string localPeer, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPeer);
        _localPeer = localPeer;
        NodeLog.SyncStateChanged(_logger, State, SyncState.FromLocal);
        State = SyncState.FromLocal;
        WindowDue = now + _window;
    }

    /// <summary>
    /// Commits queued events in order, then runs the timers. Returns the session that must
    /// now be asked for a lesson (send <c>00 00</c> on it), or null.
    /// </summary>
    public SessionRef? Process(DateTimeOffset now)
    {
        while (_events.TryDequeue(out var e))
        {
            Apply(e, now);
        }

        if (State == SyncState.FromLocal && Learning is null)
        {
            if (_live.TryGetValue(_localPeer!, out var local))
            {
                // The old process teaches without being asked (it connected to hand its tables over).
                Learning = new SessionRef(_localPeer!, local);
                WindowDue = null;
                NodeLog.LessonAssigned(_logger, Learning.Value);
                return Learning;
            }

            WindowDue ??= now + _window;
            if (now < WindowDue)
            {
                return null;
            }

            NodeLog.ResyncWindowExpired(_logger);
            LeaveLocal(now);
        }

        if (State != SyncState.FromRemote || Learning is not null)
        {
            return null;
        }

        foreach (var peer in _peers)
        {
            if (_live.TryGetValue(peer, out var gen) && !IsNotUpToDate(peer))
            {
                var s = new SessionRef(peer, gen);
                Learning = s;
                WindowDue = null;
                NodeLog.LessonAssigned(_logger, s);
                return s;
            }
        }

        WindowDue ??= now + _window;
        if (now >= WindowDue)
        {
            NodeLog.ResyncWindowExpired(_logger);
            MoveTo(SyncState.Finished, now);
        }

        return null;
    }

    private void Apply(SyncEvent e, DateTimeOffset now)
    {
        var s = e.Session;
        switch (e.Kind)
        {
            case SyncEventKind.SessionEstablished:
                _live[s.Peer] = s.Generation;
                break;

            case SyncEventKind.SessionEnded:
                if (_live.TryGetValue(s.Peer, out var live) && live == s.Generation)
                {
                    _live.Remove(s.Peer);
                }

                _teaching.Remove(s);
                if (Learning == s)
                {
                    // The session died before its lesson's end marker: abort, re-arm the window.
                    Learning = null;
                    LessonsAborted++;
                    NodeLog.LessonAborted(_logger, s);
                    if (State is SyncState.FromLocal or SyncState.FromRemote)
                    {
                        // FROMLOCAL stays: the old process reconnects and teaches again within the window.
                        WindowDue = now + _window;
                    }
                }

                break;

            case SyncEventKind.LessonFinished:
            case SyncEventKind.LessonPartial:
                if (Learning != s)
                {
                    // Unsolicited or from a session that is no longer the assigned one.
                    IgnoredEvents++;
                    NodeLog.StaleSyncEvent(_logger, e.Kind, s);
                    break;
                }

                // The end marker was fully received: the lesson counts even if the session is gone by now.
                Learning = null;
                LessonsCompleted++;
                NodeLog.LessonCommitted(_logger, s, e.Kind == SyncEventKind.LessonFinished);
                if (e.Kind == SyncEventKind.LessonFinished)
                {
                    MoveTo(SyncState.Finished, now);
                }
                else if (State == SyncState.FromLocal)
                {
                    // The old process was not up to date itself (a reload before its own resync
                    // finished): keep what it taught and learn the rest from a remote peer.
                    LeaveLocal(now);
                }
                else
                {
                    _notUpToDate[s.Peer] = s.Generation;
                    if (State == SyncState.FromRemote)
                    {
                        WindowDue = now + _window;
                    }
                }

                break;

            case SyncEventKind.TeachStarted:
                if (_live.TryGetValue(s.Peer, out var g1) && g1 == s.Generation)
                {
                    _teaching.Add(s);
                }
                else
                {
                    IgnoredEvents++;
                }

                break;

            case SyncEventKind.TeachConfirmed:
                if (!_teaching.Remove(s))
                {
                    IgnoredEvents++;
                }

                break;
        }
    }

    /// <summary>FROMLOCAL is over without a complete local lesson: ask remote peers next (or stop waiting).</summary>
    private void LeaveLocal(DateTimeOffset now)
    {
        if (_learn && _peers.Length > 0)
        {
            MoveTo(SyncState.FromRemote, now);
            WindowDue = now + _window;
        }
        else
        {
            MoveTo(SyncState.Finished, now);
        }
    }

    private void MoveTo(SyncState next, DateTimeOffset now)
    {
        if (State == next)
        {
            return;
        }

        NodeLog.SyncStateChanged(_logger, State, next);
        State = next;
        WindowDue = null;
        FinishedAt = next == SyncState.Finished ? now : null;
    }
}
