// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Tables.Replication;

/// <summary>
/// Position of a full-table walk (teaching a lesson). Start with <c>default</c>; pass it by
/// reference to <see cref="Engine.StickTable.CollectAll"/> until <see cref="IsComplete"/>.
/// The walk first reads the local changes in update-id order, up to the newest id at its start
/// (later ones are pushed normally after the lesson), then the learned entries, visiting the
/// shards in lockstep rounds. An entry that changes behind the cursor is not visited again.
/// </summary>
public struct TeachCursor
{
    /// <summary>The shard being walked (learned entries; 0 while local changes are read).</summary>
    public int Shard { get; internal set; }

    /// <summary>The next slot in that shard (learned entries).</summary>
    public int Slot { get; internal set; }

    /// <summary>True once every entry has been walked.</summary>
    public bool IsComplete { get; internal set; }

    /// <summary>The lockstep round being walked (learned entries; each round takes the same fraction of every shard).</summary>
    public int Round { get; internal set; }

    /// <summary>The number of rounds, fixed when the walk over learned entries starts.</summary>
    internal int Rounds { get; set; }

    /// <summary>The next slot of every shard (learned entries).</summary>
    internal int[]? Positions { get; set; }

    /// <summary>The newest local update id when the walk started: the local changes it teaches end there.</summary>
    internal long Top { get; set; }

    /// <summary>The local changes up to this id are marked in a window or were read.</summary>
    internal long After { get; set; }

    /// <summary>True once the local changes (in id order) were all read.</summary>
    internal bool LocalDone { get; set; }

    /// <summary>The window of ids being read: shard and slot + 1 per id above <see cref="WindowBase"/> (0: no record). Null until the walk starts.</summary>
    internal long[]? Window { get; set; }

    /// <summary>The id just below the window.</summary>
    internal long WindowBase { get; set; }

    /// <summary>Ids in the window.</summary>
    internal int WindowLength { get; set; }

    /// <summary>The next window position to read.</summary>
    internal int WindowNext { get; set; }

    /// <summary>The id given to the last learned entry read (2^31 above <see cref="Top"/>, then consecutive).</summary>
    internal uint LearnedId { get; set; }
}
