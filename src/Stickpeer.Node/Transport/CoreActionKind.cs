// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Transport;

public enum CoreActionKind
{
    /// <summary>Open an outbound connection to the named peer, then call Connected or Closed.</summary>
    Connect,

    /// <summary>Flush what is pending on the connection, then close it and call Closed.</summary>
    Close,
}
