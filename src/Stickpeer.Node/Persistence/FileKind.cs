// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Persistence;

/// <summary>The two kinds of data file.</summary>
public enum FileKind
{
    /// <summary>An append-only change log (<c>log-NNNNNNNNNNNN.spl</c>).</summary>
    Log,

    /// <summary>A compact snapshot (<c>snapshot.sps</c>).</summary>
    Snapshot,
}
