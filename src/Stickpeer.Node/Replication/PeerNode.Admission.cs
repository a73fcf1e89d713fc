// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Diagnostics;
using Stickpeer.Protocol.Session;

namespace Stickpeer.Node.Replication;

/// <content>
/// Admission of inbound connections before their handshake: what an unauthenticated client can
/// hold is bounded in count (overall and per source address) and in time (<see cref="PeerNodeOptions.HandshakeTimeout"/>).
/// </content>
public sealed partial class PeerNode
{
    // Inbound connections whose handshake is not complete yet, with their source address.
    // Inbound connections still before their handshake (their address is on the connection).
    private readonly HashSet<ConnectionId> _pendingInbound = [];
    private RepeatLimiter? _refusalLog;
    private RepeatLimiter? _abandonedLog;

    /// <summary>Inbound connections still waiting for their handshake.</summary>
    public int PendingInbound => _pendingInbound.Count;

    /// <summary>Inbound connections refused at accept since start (a limit was reached).</summary>
    public long RefusedInbound { get; private set; }

    /// <summary>Connections closed because their handshake did not complete in time.</summary>
    public long HandshakeTimeouts { get; private set; }

    /// <summary>Connections closed because their hello or status line could not be read (over-long, not a handshake line).</summary>
    public long UnreadableHandshakes { get; private set; }

    /// <summary>
    /// An inbound connection from <paramref name="sourceAddress"/> arrived: accepts it (see
    /// <see cref="Accept"/>) unless <see cref="PeerNodeOptions.MaxPendingInbound"/> or
    /// <see cref="PeerNodeOptions.MaxPendingInboundPerAddress"/> connections already wait for their
    /// handshake. A refused connection is the caller's to close; refusals are logged once per interval.
    /// </summary>
    /// <returns>The refusal (a metric tag: <c>pending_limit</c> or <c>address_limit</c>), or null when accepted.</returns>
    public string? TryAccept(string sourceAddress, out ConnectionId id)
    {
        ArgumentNullException.ThrowIfNull(sourceAddress);
        id = default;
        string? refusal = null;
        if (_pendingInbound.Count >= _options.MaxPendingInbound)
        {
            refusal = "pending_limit";
        }
        else if (_pendingInbound.Count(p => string.Equals(_connections[p].SourceAddress, sourceAddress, StringComparison.Ordinal)) >= _options.MaxPendingInboundPerAddress)
        {
            refusal = "address_limit";
        }

        if (refusal is not null)
        {
            NoteRefusal(sourceAddress, refusal);
            return refusal;
        }

        id = Accept();
        _connections[id].SourceAddress = sourceAddress;
        _pendingInbound.Add(id);

        return null;
    }

    /// <summary>True while the connection exists and its session has not completed the handshake (hello and status).</summary>
    public bool IsHandshaking(ConnectionId id) => _connections.TryGetValue(id, out var conn) && !conn.Session.IsEstablished;

    /// <summary>The handshake completed or the connection ended: it no longer holds a pending slot.</summary>
    private void LeavePending(ConnectionId id) => _pendingInbound.Remove(id);

    /// <summary>Closes the connections whose handshake has not completed within <see cref="PeerNodeOptions.HandshakeTimeout"/>.</summary>
    private bool CloseIfHandshakeLate(NodeConnection conn, DateTimeOffset now)
    {
        if (conn.Session.IsEstablished || conn.CloseRequested || !conn.TransportUp || now - conn.CreatedAt < _options.HandshakeTimeout)
        {
            return false;
        }

        HandshakeTimeouts++;
        NodeLog.HandshakeTimeout(_logger, conn.Id, _options.HandshakeTimeout.TotalSeconds);
        NoteAbandonedHandshake(conn, "timeout");
        conn.Session.Close(Protocol.Session.SessionCloseReason.Local, "handshake not complete in time");
        return true;
    }

    private void NoteRefusal(string sourceAddress, string refusal)
    {
        RefusedInbound++;

        // One line per interval however many clients are refused: a flood must not flood the log too.
        _refusalLog ??= new RepeatLimiter(TimeSpan.FromSeconds(10), _time);
        if (_refusalLog.ShouldLog(out var heldBack))
        {
            NodeLog.InboundRefused(_logger, heldBack + 1, refusal, sourceAddress, _pendingInbound.Count);
        }
    }

    /// <summary>Counts a session that ended on a hello or status line it could not read, before its handshake completed.</summary>
    private void NoteIfHandshakeUnreadable(NodeConnection conn, SessionCloseReason reason)
    {
        if (reason == SessionCloseReason.HandshakeFailed && !conn.Session.IsEstablished)
        {
            UnreadableHandshakes++;
            NoteAbandonedHandshake(conn, "unreadable hello");
        }
    }

    private void NoteAbandonedHandshake(NodeConnection conn, string reason)
    {
        // Like refusals: one line per interval with the count, so a flood of such clients cannot flood the log.
        _abandonedLog ??= new RepeatLimiter(TimeSpan.FromSeconds(10), _time);
        if (_abandonedLog.ShouldLog(out var heldBack))
        {
            NodeLog.HandshakesAbandoned(_logger, heldBack + 1, reason, conn.SourceAddress ?? (conn.Peer?.Name is { } p ? "peer " + p : "?"));
        }
    }
}
