// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Session;

/// <summary>Why a session ended.</summary>
public enum SessionCloseReason
{
    /// <summary>Not closed.</summary>
    None,

    /// <summary>Acceptor: we answered the hello with a non-200 status.</summary>
    HandshakeRejected,

    /// <summary>Connector: the acceptor answered with a non-200 status.</summary>
    StatusRejected,

    /// <summary>A handshake line was malformed or too long, or the connection closed mid-handshake.</summary>
    HandshakeFailed,

    /// <summary>We received a malformed message and sent <c>01 00</c>.</summary>
    ProtocolError,

    /// <summary>We received a message larger than our limit and sent <c>01 01</c>.</summary>
    SizeLimit,

    /// <summary>The peer sent an error message (<c>01 xx</c>).</summary>
    RemoteError,

    /// <summary>Nothing was received for the dead-peer timeout.</summary>
    PeerDead,

    /// <summary>The owner closed the session (collision, shutdown, connect timeout).</summary>
    Local,

    /// <summary>The transport closed or failed.</summary>
    TransportClosed,

    /// <summary>A handler threw; the session was closed to contain the failure.</summary>
    InternalError,
}
