// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Wire;

namespace Stickpeer.Protocol.Session;

/// <summary>Settings of one peer session. Defaults follow HAProxy (spec §7).</summary>
public sealed record PeerSessionOptions
{
    /// <summary>Our local peer name (sent in our hello, checked against line 2 of received hellos).</summary>
    public required string LocalPeerName { get; init; }

    /// <summary>Process id announced in our hello (informative only).</summary>
    public int ProcessId { get; init; } = Environment.ProcessId;

    /// <summary>Idle time after which a heartbeat <c>00 04</c> is sent. HAProxy: 3 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Silence after which the peer is considered dead and the session closed. HAProxy: 5–10 s.</summary>
    public TimeSpan DeadPeerTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest message payload accepted; larger ones are answered with <c>01 01</c>. HAProxy: 16384.</summary>
    public int MaxPayload { get; init; } = 16384;

    /// <summary>Longest handshake line accepted (HAProxy: one buffer, 16384).</summary>
    public int MaxHandshakeLine { get; init; } = 16384;

    /// <summary>
    /// Most distinct table ids a peer may DEFINE in one session. HAProxy has no such limit, but
    /// each id costs memory and a real section has one id per shared table, so a peer that goes
    /// past this is hostile or broken: it gets <c>01 00</c>.
    /// </summary>
    public int MaxTablesPerSession { get; init; } = PeerProtocolLimits.DefaultMaxTablesPerSession;

    /// <summary>
    /// Sustained updates a second the peer may send (0: no limit). Past the rate and the
    /// <see cref="UpdateBurst"/>, the session answers <c>01 00</c> and closes. Updates of a lesson
    /// this session asked for (from our <c>00 00</c> to the peer's <c>00 01</c>/<c>00 02</c>) are
    /// not counted: a lesson is a one-off we requested, its size is the teacher's tables, and
    /// cutting it would fail the resync the node is waiting for.
    /// </summary>
    public int MaxUpdatesPerSecond { get; init; } = PeerProtocolLimits.DefaultMaxUpdatesPerSecond;

    /// <summary>Updates the peer may send at once above <see cref="MaxUpdatesPerSecond"/> (the token bucket's depth).</summary>
    public int UpdateBurst { get; init; } = PeerProtocolLimits.DefaultUpdateBurst;
}
