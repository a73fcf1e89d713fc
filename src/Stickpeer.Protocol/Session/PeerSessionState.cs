// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Session;

/// <summary>
/// Life cycle of one peer session. Allowed transitions (see <see cref="PeerSessionStates.IsAllowed"/>):
/// <c>Created → AwaitingStatus | AwaitingHello</c>, <c>AwaitingStatus | AwaitingHello → Established | Closing | Closed</c>,
/// <c>Established → Closing | Closed</c>, <c>Closing → Closed</c>, and <c>Created → Closing | Closed</c>.
/// </summary>
public enum PeerSessionState
{
    /// <summary>Created; the transport is not up yet (connector) or nothing was read yet.</summary>
    Created,

    /// <summary>Connector: hello sent, waiting for the acceptor's status line.</summary>
    AwaitingStatus,

    /// <summary>Acceptor: waiting for the three hello lines.</summary>
    AwaitingHello,

    /// <summary>Status 200 sent or received: binary messages flow both ways.</summary>
    Established,

    /// <summary>The session ended; queued output (status line, error message) may still be drained before the transport closes.</summary>
    Closing,

    /// <summary>The transport is gone. Terminal.</summary>
    Closed,
}
