// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Tables.Engine;

/// <summary>State bits of a slot.</summary>
[Flags]
internal enum EntryFlags : byte
{
    None = 0,

    /// <summary>The slot holds an entry.</summary>
    Occupied = 1,

    /// <summary>The entry's last change was local and sits in the update log (push window).</summary>
    InLog = 2,

    /// <summary>The entry's last change was learned from a peer.</summary>
    Learned = 4,
}
