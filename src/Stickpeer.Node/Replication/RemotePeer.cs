// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Session;

namespace Stickpeer.Node.Replication;

/// <summary>Everything the node keeps about one remote peer across its sessions.</summary>
internal sealed class RemotePeer(string name, int tableCount)
{
    public string Name { get; } = name;

    /// <summary>The peer's session (any state), or null. At most one per peer.</summary>
    public NodeConnection? Current { get; set; }

    /// <summary>Last handshake status (0 none, 100 connecting, 110 handshaking, 200, 300, 50x).</summary>
    public int LastStatus { get; set; }

    /// <summary>Earliest time for the next outbound attempt.</summary>
    public DateTimeOffset ReconnectAt { get; set; }

    /// <summary>Set after a 50x status: we wait for the peer to connect to us.</summary>
    public bool NoRetry { get; set; }

    /// <summary>Per table: the last update id this peer acknowledged (kept across sessions).</summary>
    public uint[] Acked { get; } = new uint[tableCount];

    /// <summary>Per table: true once this peer acknowledged anything (until then <see cref="Acked"/> means nothing).</summary>
    public bool[] HasAcked { get; } = new bool[tableCount];

    public long ConnectAttempts { get; set; }

    /// <summary>When the last session with this peer was established (null: never).</summary>
    public DateTimeOffset? LastHandshakeAt { get; set; }

    /// <summary>How the last attempt that never reached a session failed (null after a session); a repeat is logged at debug only.</summary>
    public string? LastFailure { get; set; }

    /// <summary>Attempts since <see cref="LastFailure"/> was logged that failed the same way.</summary>
    public long RepeatedFailures { get; set; }

    public long SessionsEstablished { get; set; }

    public long Collisions { get; set; }

    /// <summary>Times pushes to this peer paused on the pending-ack window (<see cref="PeerNodeOptions.MaxUnackedUpdates"/>).</summary>
    public long PushWindowStalls { get; set; }

    public long ImpossibleAcks { get; set; }

    public long ProtocolErrors { get; set; }

    public long DeadPeerTimeouts { get; set; }

    public long LessonsTaught { get; set; }

    public long LessonUpdatesKeptLocal { get; set; }

    /// <summary>Traffic of the sessions that ended (the current one is added when it ends).</summary>
    public PeerTrafficTotals EndedTraffic { get; set; } = PeerTrafficTotals.Zero;

    /// <summary>Sessions of this peer that ended, by why they ended.</summary>
    public Dictionary<SessionCloseReason, long> SessionEnds { get; } = [];

    /// <summary>Sessions ended by a protocol error we detected, by what was malformed.</summary>
    public Dictionary<Stickpeer.Protocol.Errors.ProtocolError, long> ProtocolErrorKinds { get; } = [];

    /// <summary>Table definitions of the peer ignored because we cannot use them, by reason (metric label values).</summary>
    public Dictionary<string, long> TablesIgnored { get; } = new(StringComparer.Ordinal);

    /// <summary>Times a session's output made no progress for <see cref="PeerNodeOptions.OutputStallWarning"/> (the peer stopped reading).</summary>
    public long OutputStalls { get; set; }
}
