// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Persistence;

/// <summary>Whether the change log is saving changes (docs/persistence.md, "Full disk while running").</summary>
internal enum LogState
{
    /// <summary>Changes are written; output waits for them as the fsync policy says.</summary>
    Healthy,

    /// <summary>The disk refused writes for too long, or too much waited for it: nothing is kept, output does not wait.</summary>
    Stopped,

    /// <summary>A full snapshot is being written; changes are kept in memory (bounded) for the log that follows it.</summary>
    Recovering,
}
