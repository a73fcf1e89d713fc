// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Replication;

/// <summary>What a <see cref="NodeAction"/> asks the transport to do.</summary>
public enum NodeActionKind
{
    /// <summary>Open an outbound connection to <see cref="NodeAction.PeerName"/>, then call <see cref="PeerNode.Connected"/> (or <see cref="PeerNode.Closed"/> on failure).</summary>
    Connect,

    /// <summary>Send what <see cref="PeerNode.TryGetOutput"/> still returns (best effort), then close the connection and call <see cref="PeerNode.Closed"/>.</summary>
    Close,
}
