// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Runtime.InteropServices;
using Stickpeer.Tables.Replication;

namespace Stickpeer.Tables.Engine;

/// <summary>The update log: collecting local changes for incremental pushes.</summary>
public sealed partial class StickTable
{
    [ThreadStatic]
    private static List<LogCandidate>? t_candidates;

    /// <summary>
    /// Collects local changes with ids in the circular window (<paramref name="afterId"/>,
    /// newest local id], in increasing id order, at most <see cref="UpdateBatch.Capacity"/>.
    /// A key changed several times appears once, at its latest id; learned entries are not in
    /// the window. Resume with <see cref="UpdateBatch.NextAfterId"/>. Locks one shard at a time.
    /// </summary>
    /// <param name="afterId">The last id already pushed/acknowledged (0 for "everything" at start).</param>
    /// <param name="batch">Receives the entries; values in this table's schema, rate ages relative to now.</param>
    /// <returns>The number of entries collected.</returns>
    public int CollectLocalChanges(uint afterId, UpdateBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        CheckOwnSchema(batch.Schema);
        batch.Clear();
        var top = Volatile.Read(ref _sequence);
        var distance = unchecked((uint)top - afterId);
        batch.NextAfterId = unchecked((uint)top);
        if (distance == 0)
        {
            return 0;
        }

        var after = top - distance;
        var max = batch.Capacity;
        var candidates = t_candidates ??= new List<LogCandidate>(256);
        CollectWindow(after, top, max, candidates);
        CollectionsMarshal.AsSpan(candidates).Sort();
        var truncated = candidates.Count > max;
        var take = Math.Min(candidates.Count, max);
        var now = Clock.NowMs;
        for (var i = 0; i < take; i++)
        {
            var c = candidates[i];
            var shard = _shards[c.Shard];
            lock (shard.Gate)
            {
                ref var m = ref shard.Meta(c.Slot);
                if ((m.Flags & (EntryFlags.Occupied | EntryFlags.InLog)) != (EntryFlags.Occupied | EntryFlags.InLog) || m.LocalId != c.Id)
                {
                    continue; // changed again since (it is now at a newer id) or gone
                }

                var idx = batch.Append(unchecked((uint)c.Id), shard.KeyOf(c.Slot), Remaining(shard, c.Slot, now), learned: false);
                FillValues(shard, c.Slot, batch.GetValues(idx), now);
            }
        }

        if (truncated)
        {
            batch.NextAfterId = unchecked((uint)candidates[max - 1].Id);
            batch.MayHaveMore = true;
        }

        candidates.Clear();
        return batch.Count;
    }

    /// <summary>
    /// Gathers the live log records with ids in (<paramref name="after"/>, <paramref name="top"/>]
    /// from every shard, enough for the first <paramref name="max"/> + 1 of them (the extra one tells
    /// whether more remain), unordered.
    /// </summary>
    /// <remarks>
    /// The shards share one id sequence, so the first <paramref name="max"/> live records lie in a
    /// window just above <paramref name="after"/>, as wide as <paramref name="max"/> plus the holes
    /// left by stale records (keys changed again since). Each shard contributes only what lies in
    /// the window, widened until it holds enough or reaches <paramref name="top"/>. Taking
    /// <paramref name="max"/> + 1 records from every shard instead gathered and sorted 16 times what
    /// a batch keeps: 1 µs per pushed entry, most of a teacher's CPU when it re-pushed its table
    /// after a lesson (docs/benchmarks.md, "Teacher side").
    /// </remarks>
    private void CollectWindow(long after, long top, int max, List<LogCandidate> candidates)
    {
        var width = 2L * max;
        while (true)
        {
            var upTo = top - after <= width ? top : after + width;
            candidates.Clear();
            foreach (var shard in _shards)
            {
                lock (shard.Gate)
                {
                    shard.CollectLog(after, upTo, max + 1, candidates);
                }
            }

            if (candidates.Count > max || upTo == top)
            {
                return;
            }

            width *= 8; // few rounds even from a fresh peer's base, 2^31 ids back
        }
    }
}
