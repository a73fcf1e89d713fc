// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Replication;

/// <summary>Where the old process of a reload stands in handing its tables over (see <see cref="PeerNode.BeginHandover"/>).</summary>
public enum HandoverPhase
{
    /// <summary>No hand-over asked.</summary>
    None,

    /// <summary>Connecting to the new process as the local peer, or teaching it.</summary>
    Running,

    /// <summary>The new process confirmed the lesson (<c>00 03</c>): this process may exit.</summary>
    Done,

    /// <summary>No complete lesson before the deadline: this process exits without it.</summary>
    Failed,
}
