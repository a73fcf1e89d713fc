// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>Kind of a node's request to the transport.</summary>
internal enum SimActionKind
{
    /// <summary>Open an outbound connection to <see cref="SimNodeAction.PeerName"/>.</summary>
    Connect,

    /// <summary>Flush pending output, then close the connection.</summary>
    Close,
}

/// <summary>A node's request to the transport.</summary>
internal readonly record struct SimNodeAction(SimActionKind Kind, int Connection, string? PeerName)
{
    public static SimNodeAction Connect(int connection, string peerName) => new(SimActionKind.Connect, connection, peerName);

    public static SimNodeAction Close(int connection) => new(SimActionKind.Close, connection, null);
}
