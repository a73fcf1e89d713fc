// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Microsoft.Extensions.Logging;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Session;

namespace Stickpeer.Node.Replication;

/// <summary>
/// The sans-IO core of one peers section: sessions with every remote peer, pushing local
/// changes, applying received ones, full resync (learning and teaching) and the sync
/// coordinator. The transport feeds it events (<see cref="Accept"/>, <see cref="Connected"/>,
/// <see cref="Receive"/>, <see cref="Closed"/>, <see cref="Tick"/>) and executes what it
/// asks (<see cref="TryDequeueAction"/>, <see cref="TryGetOutput"/>). NOT thread-safe: the
/// transport serialises every call (including the tables' local writes) on one loop.
/// </summary>
public sealed partial class PeerNode
{
    private readonly PeerNodeOptions _options;
    private readonly IReplicatedTable[] _tables;
    private readonly bool _restored;
    private readonly DecodedUpdate[] _scratch;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggers;
    private readonly Random _random;
    private readonly PeerSessionOptions _sessionOptions;
    private readonly Dictionary<string, RemotePeer> _peers = new(StringComparer.Ordinal);
    private readonly RemotePeer[] _peerList;
    private readonly Dictionary<ConnectionId, NodeConnection> _connections = [];
    private readonly Queue<NodeAction> _actions = new();
    private readonly long[] _startMarks;
    private long _nextConnectionId;
    private long _nextGeneration;

    /// <summary>Creates the node. Outbound connections start at the first <see cref="Tick"/>.</summary>
    public PeerNode(PeerNodeOptions options, IReadOnlyList<IReplicatedTable> tables, TimeProvider time, ILoggerFactory loggers, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentException.ThrowIfNullOrEmpty(options.LocalPeerName);
        _options = options;
        _tables = [.. tables];
        _restored = _tables.Any(t => t.RestoredFromDisk);
        _scratch = [.. _tables.Select(t => new DecodedUpdate(t.Schema))];

        // Lessons never overwrite a local change made after this point (see StartLearning).
        _startMarks = [.. _tables.Select(t => t.LocalChangeMark)];
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger("Stickpeer.Node.Replication.PeerNode");
        _random = random;
        _sessionOptions = new PeerSessionOptions
        {
            LocalPeerName = options.LocalPeerName,
            ProcessId = options.ProcessId,
            HeartbeatInterval = options.HeartbeatInterval,
            DeadPeerTimeout = options.DeadPeerTimeout,
            MaxPayload = options.MaxPayload,
            MaxTablesPerSession = options.MaxTablesPerSession,
            MaxUpdatesPerSecond = options.MaxUpdatesPerSecond,
            UpdateBurst = options.UpdateBurst,
        };
        var now = time.GetUtcNow();
        foreach (var name in options.RemotePeers)
        {
            if (string.Equals(name, options.LocalPeerName, StringComparison.Ordinal) || _peers.ContainsKey(name))
            {
                continue;
            }

            _peers[name] = new RemotePeer(name, _tables.Length) { ReconnectAt = now };
        }

        _peerList = [.. _peers.Values];
        Coordinator = new SyncCoordinator([.. _peerList.Select(p => p.Name)], options.LearnOnStartup, options.ResyncWindow, now, _logger);
    }

    /// <summary>The section's resync coordinator (read-only use: state, lesson, teaching).</summary>
    public SyncCoordinator Coordinator { get; }

    /// <summary>The options.</summary>
    public PeerNodeOptions Options => _options;

    /// <summary>When <see cref="Tick"/> should next be called (null: nothing scheduled). Call it earlier after local table changes.</summary>
    public DateTimeOffset? NextTickDue => ComputeNextDue();

    /// <summary>Delay until <see cref="NextTickDue"/> (zero when overdue), or null.</summary>
    public TimeSpan? NextTickDelay => NextTickDue is { } due ? Max(due - _time.GetUtcNow(), TimeSpan.Zero) : null;

    /// <summary>An inbound connection arrived. Returns its id; the session waits for a hello.</summary>
    public ConnectionId Accept()
    {
        var conn = NewConnection(outbound: false, peer: null);
        conn.TransportUp = true;
        conn.Session.Start();
        AfterCall();
        return conn.Id;
    }

    /// <summary>An outbound connection requested by a <see cref="NodeActionKind.Connect"/> action is up: the hello is sent.</summary>
    public void Connected(ConnectionId id)
    {
        if (!_connections.TryGetValue(id, out var conn) || conn.TransportUp || !conn.Outbound)
        {
            return;
        }

        conn.TransportUp = true;
        if (conn.Peer is { } peer && peer.Current == conn)
        {
            peer.LastStatus = 110;
        }

        conn.Session.Start();
        AfterCall();
    }

    /// <summary>
    /// Bytes arrived on a connection. <paramref name="consumed"/>/<paramref name="examined"/> follow
    /// <c>PipeReader.AdvanceTo</c>. Unknown or ended connections consume everything.
    /// </summary>
    public void Receive(ConnectionId id, ReadOnlySequence<byte> data, out SequencePosition consumed, out SequencePosition examined)
    {
        if (!_connections.TryGetValue(id, out var conn))
        {
            consumed = examined = data.End;
            return;
        }

        foreach (var table in _tables)
        {
            table.BeginReceiveBatch();
        }

        // Lines about this connection's input carry its peer and connection (docs/observability.md);
        // AfterCall's work is about every peer, so it runs outside the scope.
        var scope = _logger.BeginScope(conn.LogScope);
        try
        {
            conn.Session.Receive(data, out consumed, out examined);
        }
        finally
        {
            scope?.Dispose();
            foreach (var table in _tables)
            {
                table.EndReceiveBatch();
            }
        }

        if (conn.Session.IsEstablished)
        {
            conn.Session.FlushAcksAfterReceive();
        }

        AfterCall();
    }

    /// <summary>The transport closed or failed (any time, any state). The connection id is then forgotten.</summary>
    public void Closed(ConnectionId id, string reason)
    {
        LeavePending(id);
        if (!_connections.Remove(id, out var conn))
        {
            return;
        }

        conn.TransportClosed = true;
        using (_logger.BeginScope(conn.LogScope))
        {
            conn.Session.TransportClosed(reason ?? string.Empty);
        }

        AfterCall();
    }

    /// <summary>Runs every timer of the node (heartbeats, dead peers, reconnects, resync windows) and pushes pending local changes.</summary>
    public void Tick()
    {
        var now = _time.GetUtcNow();
        var stallCheck = OutputStallCheckDue(now);
        foreach (var conn in _connections.Values.ToArray())
        {
            if (!conn.TransportUp && !conn.CloseRequested && now - conn.CreatedAt >= _options.ConnectTimeout)
            {
                NodeLog.ConnectTimeout(_logger, conn.Peer?.Name ?? "?", conn.Id);
                conn.Session.Close(SessionCloseReason.Local, "connect timeout");
                continue;
            }

            if (CloseIfHandshakeLate(conn, now))
            {
                continue;
            }

            using (_logger.BeginScope(conn.LogScope))
            {
                conn.Session.Tick();
                if (stallCheck)
                {
                    CheckOutputStall(conn, now);
                }
            }
        }

        foreach (var peer in _peerList)
        {
            if (peer.Current is null && !peer.NoRetry && now >= peer.ReconnectAt && Handover == HandoverPhase.None)
            {
                StartConnect(peer, now);
            }
        }

        TickHandover(now);
        AfterCall();
    }

    /// <summary>Takes the next request for the transport.</summary>
    public bool TryDequeueAction(out NodeAction action) => _actions.TryDequeue(out action);

    /// <summary>Bytes waiting to be written on a connection (empty when none).</summary>
    public bool TryGetOutput(ConnectionId id, out ReadOnlySequence<byte> pending)
    {
        if (_connections.TryGetValue(id, out var conn) && conn.Session.Output.PendingBytes > 0)
        {
            pending = new ReadOnlySequence<byte>(conn.Session.Output.Pending);
            return true;
        }

        pending = ReadOnlySequence<byte>.Empty;
        return false;
    }

    /// <summary>True when the connection has bytes waiting to be written.</summary>
    public bool HasOutput(ConnectionId id) => _connections.TryGetValue(id, out var conn) && conn.Session.Output.PendingBytes > 0;

    /// <summary>Marks <paramref name="bytes"/> of the output of a connection as written.</summary>
    public void AdvanceOutput(ConnectionId id, long bytes)
    {
        if (_connections.TryGetValue(id, out var conn))
        {
            var written = Math.Min(bytes, conn.Session.Output.PendingBytes);
            conn.Session.Output.Consume(written);
            conn.BytesSent += written;

            // Refill up to the output bound (several passes of MaxUpdatesPerPass), so the transport's
            // next write is a full one instead of one pass per socket write.
            for (var guard = 0; conn.MorePending && conn.Session.Output.PendingBytes <= PendingLimit(conn) && guard < 64; guard++)
            {
                SendPass(conn);
            }
        }
    }

    /// <summary>Pushes pending local changes to every established session now (Tick does it too).</summary>
    public void Flush() => AfterCall();

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private NodeConnection NewConnection(bool outbound, RemotePeer? peer)
    {
        var id = new ConnectionId(++_nextConnectionId);
        var conn = new NodeConnection(this, id, outbound, _time.GetUtcNow(), _tables.Length) { Peer = peer };
        var logger = _loggers.CreateLogger("Stickpeer.Protocol.Session.PeerSession");
        conn.Session = new PeerSession(outbound ? PeerSessionRole.Connector : PeerSessionRole.Acceptor, _sessionOptions, conn, _time, logger, peer?.Name);
        _connections[id] = conn;
        return conn;
    }

    private void StartConnect(RemotePeer peer, DateTimeOffset now)
    {
        var conn = NewConnection(outbound: true, peer);
        peer.Current = conn;
        peer.LastStatus = 100;
        peer.ConnectAttempts++;
        peer.ReconnectAt = now + _options.ReconnectInterval;
        NodeLog.Connecting(_logger, peer.Name, conn.Id);
        _actions.Enqueue(new NodeAction(NodeActionKind.Connect, conn.Id, peer.Name, null));
    }

    private TimeSpan RandomBackoff()
    {
        var min = (long)_options.BackoffMin.TotalMilliseconds;
        var max = (long)_options.BackoffMax.TotalMilliseconds;
        return TimeSpan.FromMilliseconds(_random.NextInt64(min, Math.Max(min, max) + 1));
    }

    /// <summary>After every entry point: commit coordinator events, act on a lesson assignment, run send passes.</summary>
    private void AfterCall()
    {
        var now = _time.GetUtcNow();
        for (var guard = 0; guard < 8; guard++)
        {
            var assign = Coordinator.Process(now);
            if (assign is not { } s)
            {
                break;
            }

            if (!TryFindPeer(s.Peer, out var peer) || peer.Current is not { } conn || conn.Generation != s.Generation || !conn.Session.IsEstablished)
            {
                // Cannot happen while events are posted synchronously; fail safe: abort that assignment.
                Coordinator.Post(new SyncEvent(SyncEventKind.SessionEnded, s));
                continue;
            }

            StartLearning(conn);
        }

        foreach (var conn in _connections.Values)
        {
            SendPass(conn);
        }
    }

    private DateTimeOffset? ComputeNextDue()
    {
        DateTimeOffset? due = null;
        void Take(DateTimeOffset? t)
        {
            if (t is { } v && (due is null || v < due))
            {
                due = v;
            }
        }

        var now = _time.GetUtcNow();
        foreach (var conn in _connections.Values)
        {
            Take(conn.Session.NextDue);
            if (!conn.TransportUp && !conn.CloseRequested)
            {
                Take(conn.CreatedAt + _options.ConnectTimeout);
            }
            else if (!conn.Session.IsEstablished && !conn.CloseRequested)
            {
                Take(conn.CreatedAt + _options.HandshakeTimeout);
            }

            if (conn.MorePending && conn.Session.Output.PendingBytes <= PendingLimit(conn))
            {
                Take(now);
            }
        }

        foreach (var peer in _peerList)
        {
            if (peer.Current is null && !peer.NoRetry && Handover == HandoverPhase.None)
            {
                Take(peer.ReconnectAt);
            }
        }

        if (Handover == HandoverPhase.Running)
        {
            Take(_localPeer!.Current is null ? _handoverRetryAt : _handoverDeadline);
        }

        if (Coordinator.Learning is null)
        {
            Take(Coordinator.WindowDue);
        }

        return due;
    }
}
