// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Tables.Engine;

/// <summary>Outcome of removing one key.</summary>
public enum RemoveResult
{
    /// <summary>Removed.</summary>
    Removed,

    /// <summary>No such (live) key.</summary>
    NotFound,

    /// <summary>The entry is in use (tracked) and was kept ("Entry currently in use, cannot remove").</summary>
    InUse,
}
