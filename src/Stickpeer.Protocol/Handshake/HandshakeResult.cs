// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Handshake;

/// <summary>The acceptor's decision on a hello.</summary>
/// <param name="Status">The status line to answer with.</param>
/// <param name="PeerName">The connector's name (first token of line 3), when it could be read.</param>
/// <param name="PeerState">The lookup result for <paramref name="PeerName"/> (<see cref="HandshakePeerState.Unknown"/> when not looked up).</param>
/// <param name="VersionMinor">The announced minor version (0 = peer speaks 2.0: never send it timed updates), or -1 when invalid.</param>
public readonly record struct HandshakeResult(HandshakeStatus Status, string? PeerName, HandshakePeerState PeerState, int VersionMinor)
{
    /// <summary>True when the peer announced protocol 2.0 and must not receive 0x85/0x86.</summary>
    public bool IsDowngraded => VersionMinor == 0;
}
