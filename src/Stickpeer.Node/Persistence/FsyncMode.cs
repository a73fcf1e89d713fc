// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Persistence;

/// <summary>When changes written to the log are forced to stable storage.</summary>
public enum FsyncMode
{
    /// <summary>Before anything that depends on a change leaves the node (peer ACKs, CLI answers).</summary>
    Always,

    /// <summary>At most <see cref="PersistenceOptions.FsyncInterval"/> after a change (the default, every second).</summary>
    Every,

    /// <summary>Never; the kernel writes back when it likes (a process crash loses nothing, a power cut may).</summary>
    Never,
}
