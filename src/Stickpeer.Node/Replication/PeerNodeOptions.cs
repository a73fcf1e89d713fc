// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Replication;

/// <summary>Settings of one peers section as seen by the node core. Defaults follow HAProxy (spec §7).</summary>
public sealed record PeerNodeOptions
{
    /// <summary>Our local peer name (what others must put on line 2 of their hello).</summary>
    public required string LocalPeerName { get; init; }

    /// <summary>Names of the remote peers (the section's peers minus the local one), in configuration order.</summary>
    public required IReadOnlyList<string> RemotePeers { get; init; }

    /// <summary>Process id announced in hellos.</summary>
    public int ProcessId { get; init; } = Environment.ProcessId;

    /// <summary>Idle time before a heartbeat is sent (3 s).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Silence after which a session is closed (5 s).</summary>
    public TimeSpan DeadPeerTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Delay between outbound connection attempts to a peer (5 s).</summary>
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>An outbound connection not reported up by the transport within this time is abandoned.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A connection whose peers handshake (hello and status) is not complete this long after it was
    /// opened is closed (10 s): a hello trickled a byte at a time must not hold a slot for ever.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Inbound connections that may wait for their handshake at once (256); more are refused at
    /// accept. Established sessions do not count: a flood of half-open clients cannot push a real
    /// peer out, only delay a new one until the flood's connections time out.
    /// </summary>
    public int MaxPendingInbound { get; init; } = 256;

    /// <summary>The same limit per source address (16), so one host cannot take every slot.</summary>
    public int MaxPendingInboundPerAddress { get; init; } = 16;

    /// <summary>Resync window: how long the node waits for a teacher before considering itself up to date (5 s).</summary>
    public TimeSpan ResyncWindow { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Smallest random back-off after a collision or a lost session (50 ms).</summary>
    public TimeSpan BackoffMin { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Largest random back-off after a collision or a lost session (2049 ms).</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromMilliseconds(2049);

    /// <summary>Updates sent to one peer per pass (HAProxy <c>tune.peers.max-updates-at-once</c>, 200).</summary>
    public int MaxUpdatesPerPass { get; init; } = 200;

    /// <summary>
    /// No new updates are queued for a connection while more than this many output bytes wait.
    /// Keep it small: an update is serialised with the entry's values at queue time, so a deep
    /// queue behind a slow reader fills with stale values (every intermediate write of a key),
    /// while waiting lets the push cursor coalesce rewritten keys into their newest value.
    /// </summary>
    public int MaxPendingOutputBytes { get; init; } = 1024;

    /// <summary>
    /// The same bound while teaching a lesson (64 KiB). A lesson is a snapshot walk whose entries are
    /// re-pushed if they change afterwards, so a deeper queue carries no stale values; a 1 KiB bound
    /// there only stalls the walk behind every socket write (measured: full resync over loopback
    /// 2.2 times slower).
    /// </summary>
    public int MaxPendingTeachBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// How long a session's output may make no progress (the peer stopped reading while data
    /// waits for it) before the stall is logged and counted, once per stall (5 s; zero: never).
    /// Memory stays bounded either way (<see cref="MaxPendingOutputBytes"/>).
    /// </summary>
    public TimeSpan OutputStallWarning { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Use the implicit-id forms (0x81/0x86) for consecutive ids. Off by default: explicit ids keep 3.3+ ACKs correct (spec §5.5).</summary>
    public bool UseImplicitUpdateIds { get; init; }

    /// <summary>
    /// Use the implicit-id form (0x86) for consecutive ids in the lessons this node teaches, as
    /// HAProxy's own teacher does (on by default; 4 bytes less per entry). Safe where
    /// <see cref="UseImplicitUpdateIds"/> is not: a 3.3+ learner does not record ids while it learns,
    /// 2.6–3.2 and Stickpeer compute them correctly, and the teacher ignores ACKs until <c>00 03</c>.
    /// </summary>
    public bool UseImplicitIdsInLessons { get; init; } = true;

    /// <summary>Ask a remote peer for a full resync at start-up (FROMREMOTE). When false the node starts FINISHED.</summary>
    public bool LearnOnStartup { get; init; } = true;

    /// <summary>Largest payload accepted from a peer (16384).</summary>
    public int MaxPayload { get; init; } = 16384;

    /// <summary>Most distinct table ids a peer may define in one session (more: <c>01 00</c> and the session closes).</summary>
    public int MaxTablesPerSession { get; init; } = Stickpeer.Protocol.Wire.PeerProtocolLimits.DefaultMaxTablesPerSession;

    /// <summary>
    /// Sustained updates a second one session may send (0: no limit); past it and
    /// <see cref="UpdateBurst"/> the peer gets <c>01 00</c> and the session closes. Lessons are exempt.
    /// </summary>
    public int MaxUpdatesPerSecond { get; init; } = Stickpeer.Protocol.Wire.PeerProtocolLimits.DefaultMaxUpdatesPerSecond;

    /// <summary>Updates a session may send at once above <see cref="MaxUpdatesPerSecond"/>.</summary>
    public int UpdateBurst { get; init; } = Stickpeer.Protocol.Wire.PeerProtocolLimits.DefaultUpdateBurst;

    /// <summary>
    /// Pending-ack window: most update ids of one table pushed to a peer beyond its last ACK in the
    /// session (0: no limit). At the window pushes to that peer pause (the session stays up) until
    /// it acknowledges; what changed meanwhile is sent later with its newest value.
    /// </summary>
    public int MaxUnackedUpdates { get; init; } = DefaultMaxUnackedUpdates;

    /// <summary>Default <see cref="MaxUnackedUpdates"/> (100 000): above what loopback socket buffers hold in flight.</summary>
    public const int DefaultMaxUnackedUpdates = 100_000;
}
