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
}
