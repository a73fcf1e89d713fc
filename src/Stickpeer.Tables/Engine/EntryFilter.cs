// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Tables.Engine;

/// <summary>Selects entries for enumeration or clearing: an exact key and/or data conditions (all must hold).</summary>
public sealed class EntryFilter
{
    /// <summary>Only the entry with this canonical key (null = any key).</summary>
    public byte[]? Key { get; init; }

    /// <summary>Conditions that must all hold (HAProxy allows up to 4).</summary>
    public IReadOnlyList<DataCondition> Conditions { get; init; } = [];

    /// <summary>Only entries learned from a peer (true), only local ones (false), or both (null).</summary>
    public bool? Learned { get; init; }
}
