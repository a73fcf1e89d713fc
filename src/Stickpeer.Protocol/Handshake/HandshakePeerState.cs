// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Handshake;

/// <summary>What the acceptor knows about the peer name a hello announces (see <see cref="HandshakeValidator"/>).</summary>
public enum HandshakePeerState
{
    /// <summary>No peer of that name is configured (answer 504).</summary>
    Unknown,

    /// <summary>A remote peer; an existing session for it is replaced by the new one (collision rule).</summary>
    Remote,

    /// <summary>The local peer (reload handover) with no session yet.</summary>
    Local,

    /// <summary>The local peer while it already has a session (answer 300).</summary>
    LocalBusy,
}
