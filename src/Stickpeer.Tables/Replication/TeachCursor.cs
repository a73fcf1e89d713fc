// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Tables.Replication;

/// <summary>
/// Position of a full-table walk (teaching a lesson). Start with <c>default</c>; pass it by
/// reference to <see cref="Engine.StickTable.CollectAll"/> until <see cref="IsComplete"/>.
/// The walk locks one shard at a time and visits the shards in lockstep rounds; entries added behind the cursor during the walk are
/// not visited (local ones are pushed normally afterwards).
/// </summary>
public struct TeachCursor
{
    /// <summary>The shard being walked.</summary>
    public int Shard { get; internal set; }

    /// <summary>The next slot in that shard.</summary>
    public int Slot { get; internal set; }

    /// <summary>True once every shard has been walked.</summary>
    public bool IsComplete { get; internal set; }

    /// <summary>The lockstep round being walked (each round takes the same fraction of every shard).</summary>
    public int Round { get; internal set; }

    /// <summary>The number of rounds, fixed when the walk starts.</summary>
    internal int Rounds { get; set; }

    /// <summary>The next slot of every shard.</summary>
    internal int[]? Positions { get; set; }
}
