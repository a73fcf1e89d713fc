// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Microsoft.Extensions.Logging;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Protocol.Session;

/// <summary>
/// One peer session without I/O: bytes in through <see cref="Receive"/>, bytes out through
/// <see cref="Output"/>, timers through <see cref="Tick"/>. Handles the handshake (both roles),
/// framing, control messages, heartbeats, the dead-peer timeout and protocol errors
/// (<c>01 00</c> / <c>01 01</c> then close). Decoded table messages go to an
/// <see cref="IPeerSessionHandler"/>. Not thread-safe. Never throws from its public
/// methods once constructed: failures close the session.
/// </summary>
public sealed partial class PeerSession
{
    private static long s_nextId;

    private readonly PeerSessionOptions _options;
    private readonly IPeerSessionHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private DateTimeOffset _lastSentAt;
    private DateTimeOffset _lastReceivedAt;
    private bool _closeNotified;

    /// <summary>Creates a session. A connector needs the name of the peer it connects to.</summary>
    public PeerSession(PeerSessionRole role, PeerSessionOptions options, IPeerSessionHandler handler, TimeProvider time, ILogger logger, string? remotePeerName = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        if (role == PeerSessionRole.Connector)
        {
            ArgumentException.ThrowIfNullOrEmpty(remotePeerName);
        }

        Role = role;
        _options = options;
        _received = new ReceivedTables(options.MaxTablesPerSession);
        _updateLimiter = options.MaxUpdatesPerSecond > 0 ? new UpdateRateLimiter(options.MaxUpdatesPerSecond, options.UpdateBurst, time) : null;
        _handler = handler;
        _time = time;
        _logger = logger;
        RemotePeerName = remotePeerName;
        Id = Interlocked.Increment(ref s_nextId);
        _lastSentAt = _lastReceivedAt = time.GetUtcNow();
    }

    /// <summary>A process-unique id for logs.</summary>
    public long Id { get; }

    /// <summary>Connector or acceptor.</summary>
    public PeerSessionRole Role { get; }

    /// <summary>When the established session sends its next heartbeat unless it sends something else first (null: not established).</summary>
    public DateTimeOffset? NextHeartbeatDue => State == PeerSessionState.Established ? _lastSentAt + _options.HeartbeatInterval : null;

    /// <summary>The current state.</summary>
    public PeerSessionState State { get; private set; }

    /// <summary>The remote peer's name: given for a connector, taken from a validated hello for an acceptor.</summary>
    public string? RemotePeerName { get; private set; }

    /// <summary>The status code sent (acceptor) or received (connector); 0 before that.</summary>
    public int Status { get; private set; }

    /// <summary>True when the remote peer announced protocol 2.0: it must not receive timed updates.</summary>
    public bool RemoteDowngraded { get; private set; }

    /// <summary>Why the session ended (<see cref="SessionCloseReason.None"/> while open).</summary>
    public SessionCloseReason CloseReason { get; private set; }

    /// <summary>Output waiting for the transport.</summary>
    public SessionOutbox Output { get; } = new();

    /// <summary>Counters of this session.</summary>
    public PeerSessionCounters Counters { get; } = new();

    /// <summary>When <see cref="Tick"/> next has something to do, or null when closed.</summary>
    public DateTimeOffset? NextDue => State switch
    {
        PeerSessionState.AwaitingHello or PeerSessionState.AwaitingStatus => _lastReceivedAt + _options.DeadPeerTimeout,
        PeerSessionState.Established => Min(_lastReceivedAt + _options.DeadPeerTimeout, NextHeartbeatDue!.Value),
        _ => null,
    };

    private string PeerLabel => RemotePeerName ?? "?";

    /// <summary>
    /// Starts the session once the transport is up: a connector sends its hello and waits
    /// for the status line; an acceptor waits for the hello.
    /// </summary>
    public void Start()
    {
        if (State != PeerSessionState.Created)
        {
            return;
        }

        var now = _time.GetUtcNow();
        _lastReceivedAt = _lastSentAt = now;
        if (Role == PeerSessionRole.Connector)
        {
            WriteHello();
            TransitionTo(PeerSessionState.AwaitingStatus);
        }
        else
        {
            TransitionTo(PeerSessionState.AwaitingHello);
        }
    }

    /// <summary>
    /// Feeds received bytes. Every complete handshake line / message is processed;
    /// <paramref name="consumed"/> is where unprocessed bytes start and <paramref name="examined"/>
    /// how far the session looked (pass both to <c>PipeReader.AdvanceTo</c>).
    /// </summary>
    public void Receive(in ReadOnlySequence<byte> data, out SequencePosition consumed, out SequencePosition examined)
    {
        consumed = data.Start;
        examined = data.End;
        if (!PeerSessionStates.IsOpen(State) || State == PeerSessionState.Created)
        {
            // Nothing more is read once the session ended (or before it started): drop it.
            consumed = data.End;
            return;
        }

        if (!data.IsEmpty)
        {
            _lastReceivedAt = _time.GetUtcNow();
        }

        var rest = data;
        try
        {
            if (State is PeerSessionState.AwaitingHello or PeerSessionState.AwaitingStatus)
            {
                ReceiveHandshake(ref rest);
            }

            if (State == PeerSessionState.Established)
            {
                ReceiveMessages(ref rest);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            SessionLog.HandlerFailed(_logger, Id, PeerLabel, ex);
            CloseCore(SessionCloseReason.InternalError, ex.GetType().Name);
        }

        consumed = PeerSessionStates.IsOpen(State) ? rest.Start : data.End;
        examined = data.End;

        // Count consumed bytes only: a transport presents unconsumed bytes (a partial message) again
        // with the next read, so counting every byte fed would count those twice.
        Counters.BytesReceived += data.Slice(0, consumed).Length;
    }

    /// <summary>Runs the timers: heartbeat after idle, dead peer after silence.</summary>
    public void Tick()
    {
        if (!PeerSessionStates.IsOpen(State) || State == PeerSessionState.Created)
        {
            return;
        }

        var now = _time.GetUtcNow();
        try
        {
            var silence = now - _lastReceivedAt;
            if (silence >= _options.DeadPeerTimeout)
            {
                Counters.DeadPeerTimeouts++;
                SessionLog.PeerDead(_logger, Id, PeerLabel, silence);
                CloseCore(SessionCloseReason.PeerDead, "no data for " + silence.TotalMilliseconds + " ms");
                return;
            }

            if (State == PeerSessionState.Established && now - _lastSentAt >= _options.HeartbeatInterval)
            {
                SendControl(ControlMessageType.Heartbeat);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            SessionLog.HandlerFailed(_logger, Id, PeerLabel, ex);
            CloseCore(SessionCloseReason.InternalError, ex.GetType().Name);
        }
    }

    /// <summary>Ends the session from our side without sending anything more (queued output may still be drained).</summary>
    public void Close(SessionCloseReason reason, string detail)
    {
        if (PeerSessionStates.IsOpen(State))
        {
            CloseCore(reason, detail);
        }
    }

    /// <summary>The transport closed or failed. Drops pending output; the session becomes <see cref="PeerSessionState.Closed"/>.</summary>
    public void TransportClosed(string detail)
    {
        if (State == PeerSessionState.Closed)
        {
            return;
        }

        var wasOpen = PeerSessionStates.IsOpen(State);
        if (wasOpen && CloseReason == SessionCloseReason.None)
        {
            CloseReason = State is PeerSessionState.AwaitingHello or PeerSessionState.AwaitingStatus
                ? SessionCloseReason.HandshakeFailed
                : SessionCloseReason.TransportClosed;
        }

        TransitionTo(PeerSessionState.Closed);
        Output.Clear();
        NotifyClosed(detail);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private void MarkSent() => _lastSentAt = _time.GetUtcNow();

    private void CloseCore(SessionCloseReason reason, string detail)
    {
        if (!PeerSessionStates.IsOpen(State))
        {
            return;
        }

        CloseReason = reason;
        TransitionTo(PeerSessionState.Closing);
        NotifyClosed(detail);
    }

    private void NotifyClosed(string detail)
    {
        if (_closeNotified)
        {
            return;
        }

        _closeNotified = true;
        SessionLog.Closed(_logger, Id, PeerLabel, CloseReason, detail);
        try
        {
            _handler.OnClosed(CloseReason, detail);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            SessionLog.HandlerFailed(_logger, Id, PeerLabel, ex);
        }
    }

    private void TransitionTo(PeerSessionState next)
    {
        var from = State;
        if (!PeerSessionStates.IsAllowed(from, next))
        {
            SessionLog.IllegalTransition(_logger, Id, PeerLabel, from, next);
            return;
        }

        State = next;
        SessionLog.StateChanged(_logger, Id, PeerLabel, from, next);
    }
}
