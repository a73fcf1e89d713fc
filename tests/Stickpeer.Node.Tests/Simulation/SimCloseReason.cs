// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>Why the simulated transport reports a connection closed.</summary>
internal enum SimCloseReason
{
    /// <summary>The node itself asked to close.</summary>
    LocalClose,

    /// <summary>The remote side closed (FIN, or its process died).</summary>
    RemoteClosed,

    /// <summary>The connection was cut by the network (reset).</summary>
    Reset,

    /// <summary>An outbound connect failed (peer down or unreachable).</summary>
    ConnectFailed,
}
