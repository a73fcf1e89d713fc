// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Session;

/// <summary>Which side of the TCP connection a session is.</summary>
public enum PeerSessionRole
{
    /// <summary>We opened the connection: we send the hello and read one status line.</summary>
    Connector,

    /// <summary>We accepted the connection: we read the hello and answer with a status line.</summary>
    Acceptor,
}
