// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Handshake;

/// <summary>Status codes the acceptor answers a hello with (<c>200\n</c>, …).</summary>
public enum HandshakeStatus
{
    /// <summary>Handshake succeeded; binary messages follow.</summary>
    Success = 200,

    /// <summary>Try again later (a second session from the local peer during a reload).</summary>
    TryAgain = 300,

    /// <summary>Malformed hello (bad identifier, or no space in line 3).</summary>
    ProtocolError = 501,

    /// <summary>Unsupported protocol version.</summary>
    BadVersion = 502,

    /// <summary>Line 2 does not name the acceptor's local peer.</summary>
    WrongHost = 503,

    /// <summary>The connector's name is not a peer of the acceptor's section.</summary>
    UnknownPeer = 504,
}
