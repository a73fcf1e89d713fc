// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Handshake;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Session;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Node.Replication;

/// <summary>
/// One transport connection and its session, plus the per-session replication state
/// (push cursors, teach progress, lesson bookkeeping). Dropped with the connection; the
/// coordinator never sees it, only its <see cref="SessionRef"/>.
/// </summary>
internal sealed class NodeConnection : IPeerSessionHandler
{
    private readonly PeerNode _node;

    public NodeConnection(PeerNode node, ConnectionId id, bool outbound, DateTimeOffset createdAt, int tableCount)
    {
        _node = node;
        Id = id;
        Outbound = outbound;
        CreatedAt = createdAt;
        LastPushed = new uint[tableCount];
        RemoteTableId = new uint[tableCount];
        LastGet = new uint[tableCount];
        PushBase = new uint[tableCount];
        AckedInSession = new uint[tableCount];
        TeachOrigin = new uint[tableCount];
        LessonMark = new long[tableCount];
        LessonEndMark = new long[tableCount];
        WindowFloor = new uint[tableCount];
        WindowFloorSet = new bool[tableCount];
    }

    private PeerLogScope? _logScope;

    public ConnectionId Id { get; }

    public bool Outbound { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>The client's address of an inbound connection (for log lines about it before its hello names a peer).</summary>
    public string? SourceAddress { get; set; }

    public PeerSession Session { get; set; } = null!;

    /// <summary>The peer this connection belongs to (connector: from the start; acceptor: once the hello is accepted).</summary>
    public RemotePeer? Peer { get; set; }

    /// <summary>True once the transport reported the connection up (always true for inbound).</summary>
    public bool TransportUp { get; set; }

    /// <summary>True once the transport reported the connection gone.</summary>
    public bool TransportClosed { get; set; }

    /// <summary>True once the node asked the transport to close it.</summary>
    public bool CloseRequested { get; set; }

    /// <summary>Generation of the established session (0 before).</summary>
    public long Generation { get; set; }

    /// <summary>The logging scope of this connection's work (peer name read when a line is written).</summary>
    public PeerLogScope LogScope => _logScope ??= new PeerLogScope(this);

    /// <summary>Bytes of output the transport reported written (for the peer's traffic totals).</summary>
    public long BytesSent { get; set; }

    public SessionRef Ref => new(Peer?.Name ?? "?", Generation);

    // ---- push state (per table, this session) ----
    public uint[] LastPushed { get; }

    /// <summary>Per table: the id the peer gave it in its DEFINE (0 until defined; <c>show peers</c> remote_id).</summary>
    public uint[] RemoteTableId { get; }

    /// <summary>Per table: the id of the last update received in this session (<c>show peers</c> last_get).</summary>
    public uint[] LastGet { get; }

    /// <summary>Acknowledged id when this session (or the last teach) started: ACKs must lie in (PushBase, LastPushed].</summary>
    public uint[] PushBase { get; }

    /// <summary>Highest position acknowledged so far, counted from <see cref="PushBase"/> (starts at it).</summary>
    public uint[] AckedInSession { get; }

    /// <summary>Local table index of the last DEFINE we sent (-1 none).</summary>
    public int CurrentTxTable { get; set; } = -1;

    /// <summary>
    /// Per table: the id before the first update pushed since nothing was outstanding. A peer that
    /// never acknowledged starts from a position 2³¹ back (every change is pushed), so the window
    /// counts from here, not from that position.
    /// </summary>
    public uint[] WindowFloor { get; }

    /// <summary>Per table: true while <see cref="WindowFloor"/> marks outstanding pushes.</summary>
    public bool[] WindowFloorSet { get; }

    /// <summary>True while pushes to this peer wait for an ACK (the pending-ack window is full); logged once per wait.</summary>
    public bool PushWindowFull { get; set; }

    /// <summary>True when the last pass stopped on its budget: more to send.</summary>
    public bool MorePending { get; set; }

    // ---- teaching ----
    public bool Teaching { get; set; }

    public bool TeachEndSent { get; set; }

    public int TeachTable { get; set; }

    public bool TeachTableDefined { get; set; }

    public ITableTeachCursor? TeachCursor { get; set; }

    public uint[] TeachOrigin { get; }

    public long TeachEntries { get; set; }

    // ---- learning ----
    public bool Learning { get; set; }

    /// <summary>
    /// True from the moment we ask this session for a lesson until the session ends: its updates are
    /// applied with a preserve mark (see <see cref="PeerNode"/>'s OnUpdate), also after the end marker,
    /// because the teacher then re-pushes entries it had already taught, with the values of that time.
    /// </summary>
    public bool LessonSession { get; set; }

    /// <summary>Per table: the node's start mark (<see cref="IReplicatedTable.LocalChangeMark"/> when the node was created).</summary>
    public long[] LessonMark { get; }

    /// <summary>Per table: <see cref="IReplicatedTable.LocalChangeMark"/> when the lesson's end marker arrived (valid once <see cref="Learning"/> is false again).</summary>
    public long[] LessonEndMark { get; }

    /// <summary>Remote tables already reported as not matching ours in this session (HAProxy re-sends a DEFINE at every table switch).</summary>
    public HashSet<string>? MismatchReported { get; set; }

    /// <summary><see cref="BytesSent"/> when the output was last seen to move (or be empty).</summary>
    public long StallMark { get; set; }

    /// <summary>Since when output has waited without any byte written (null: moving or empty).</summary>
    public DateTimeOffset? StallSince { get; set; }

    /// <summary>The current stall was logged and counted.</summary>
    public bool StallReported { get; set; }

    // ---- IPeerSessionHandler ----
    HandshakeStatus IPeerSessionHandler.OnHello(string peerName, int versionMinor) => _node.OnHello(this, peerName);

    void IPeerSessionHandler.OnEstablished() => _node.OnEstablished(this);

    int IPeerSessionHandler.OnDefine(int senderTableId, TableSchema schema)
    {
        var local = _node.OnDefine(this, schema);
        if (local > 0)
        {
            RemoteTableId[local - 1] = (uint)senderTableId;
        }

        return local;
    }

    void IPeerSessionHandler.OnTableUnusable(DecodedDefine definition) => _node.OnTableUnusable(this, definition);

    void IPeerSessionHandler.OnUpdate(int localTableId, DecodedUpdate update) => _node.OnUpdate(this, localTableId, update);

    void IPeerSessionHandler.OnUpdates(int localTableId, ReadOnlySpan<DecodedUpdate> updates) => _node.OnUpdates(this, localTableId, updates);

    void IPeerSessionHandler.OnAck(int localTableId, uint updateId) => _node.OnAck(this, localTableId, updateId);

    void IPeerSessionHandler.OnControl(ControlMessageType control) => _node.OnControl(this, control);

    void IPeerSessionHandler.OnClosed(SessionCloseReason reason, string detail) => _node.OnSessionClosed(this, reason, detail);
}
