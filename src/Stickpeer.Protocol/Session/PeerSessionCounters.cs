// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Session;

/// <summary>Counters of one session (read them for <c>show peers</c>).</summary>
public sealed class PeerSessionCounters
{
    /// <summary>Bytes consumed by <see cref="PeerSession.Receive"/> (bytes presented again after a partial message count once).</summary>
    public long BytesReceived { get; internal set; }

    /// <summary>Complete messages received after the handshake.</summary>
    public long MessagesReceived { get; internal set; }

    /// <summary>What was malformed when this session ended with a protocol error we detected (null otherwise).</summary>
    public Stickpeer.Protocol.Errors.ProtocolError? ProtocolErrorKind { get; internal set; }

    /// <summary>Messages queued for the peer after the handshake (control, table, ACK and error messages).</summary>
    public long MessagesSent { get; internal set; }

    /// <summary>Heartbeats sent.</summary>
    public long HeartbeatsSent { get; internal set; }

    /// <summary>Heartbeats received.</summary>
    public long HeartbeatsReceived { get; internal set; }

    /// <summary>Updates received for an accepted table.</summary>
    public long UpdatesReceived { get; internal set; }

    /// <summary>Updates dropped because their table is unknown or ignored.</summary>
    public long UpdatesIgnored { get; internal set; }

    /// <summary>Updates sent.</summary>
    public long UpdatesSent { get; internal set; }

    /// <summary>ACKs sent.</summary>
    public long AcksSent { get; internal set; }

    /// <summary>Protocol errors detected on input (we sent 01 00 / 01 01).</summary>
    public long ProtocolErrors { get; internal set; }

    /// <summary>Times the dead-peer timeout fired (0 or 1).</summary>
    public long DeadPeerTimeouts { get; internal set; }
}
