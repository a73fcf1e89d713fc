// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Tables.Replication;

namespace Stickpeer.Tables.Engine;

/// <summary>The full walk for teaching a lesson: local changes in update-id order, then learned entries.</summary>
public sealed partial class StickTable
{
    // Entries per lockstep round of the walk over learned entries (about 32 slots per shard with 16 shards).
    private const int TeachRoundEntries = 512;

    // Update ids per window of the walk in id order (one lock of every shard marks a window).
    internal const int TeachWindowIds = 1024;

    /// <summary>
    /// Walks the whole table for teaching: fills <paramref name="batch"/> with the next live
    /// entries (local and learned) with their remaining expire, continuing from
    /// <paramref name="cursor"/>. Returns the number collected; the walk is over when
    /// <see cref="TeachCursor.IsComplete"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Local changes come first, in increasing update id, as HAProxy's own teacher sends them:
    /// consecutive ids (a learner computes them, so they can travel as the implicit-id forms) and
    /// the order in which the table took the changes. A tree-indexed learner (HAProxy) inserts such a
    /// stream along hot tree paths; measured on a HAProxy 2.6 learner, 1 M entries: 0.44 s of CPU in
    /// id order against 0.58 s for the lockstep walk over the shards this replaced and 2.5 s for a
    /// random order (docs/benchmarks.md, "Teaching in update-id order"). The walk covers ids up to the
    /// newest at its start; later changes are pushed after the lesson.
    /// </para>
    /// <para>
    /// Learned entries (not in the update log) follow, shards in lockstep rounds so they come in
    /// about the order they arrived, with ids 2^31 above the walk's newest local id and consecutive,
    /// the way HAProxy files what it learned. An entry that changes during the walk is taught if
    /// the walk has not passed it yet (as HAProxy does).
    /// </para>
    /// </remarks>
    public int CollectAll(ref TeachCursor cursor, UpdateBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        CheckOwnSchema(batch.Schema);
        batch.Clear();
        var now = Clock.NowMs;
        if (cursor.Window is null && !cursor.IsComplete)
        {
            cursor.Window = new long[TeachWindowIds];
            cursor.Top = Volatile.Read(ref _sequence);
            cursor.LearnedId = unchecked((uint)cursor.Top + 0x80000000u);
        }

        if (!cursor.LocalDone && !cursor.IsComplete)
        {
            CollectLocalInIdOrder(ref cursor, batch, now);
        }

        if (cursor.LocalDone && !cursor.IsComplete && !batch.IsFull)
        {
            CollectLearned(ref cursor, batch, now);
        }

        batch.MayHaveMore = !cursor.IsComplete;
        return batch.Count;
    }

    private void CollectLocalInIdOrder(ref TeachCursor cursor, UpdateBatch batch, uint now)
    {
        var window = cursor.Window!;
        while (!batch.IsFull)
        {
            if (cursor.WindowNext >= cursor.WindowLength && !MarkNextWindow(ref cursor, window))
            {
                cursor.LocalDone = true;
                return;
            }

            EmitWindow(ref cursor, window, batch, now);
        }
    }

    /// <summary>Marks the log records of the next window of ids; false once the walk passed its newest id.</summary>
    private bool MarkNextWindow(ref TeachCursor cursor, long[] window)
    {
        var after = cursor.After;
        if (after >= cursor.Top)
        {
            return false;
        }

        var upTo = Math.Min(after + window.Length, cursor.Top);
        var length = (int)(upTo - after);
        window.AsSpan(0, length).Clear();
        var next = long.MaxValue;
        foreach (var shard in _shards)
        {
            lock (shard.Gate)
            {
                next = Math.Min(next, shard.MarkLogWindow(after, upTo, window));
            }
        }

        cursor.WindowBase = after;
        cursor.WindowLength = length;
        cursor.WindowNext = 0;

        // The next window starts at the next record: ids without one (keys changed again since, or
        // learned) are skipped without marking them.
        cursor.After = Math.Max(upTo, Math.Min(next - 1, cursor.Top));
        return true;
    }

    /// <summary>
    /// Reads the marked entries of the window in id order into <paramref name="batch"/> until it is
    /// full, every shard locked in ascending order (as <see cref="ApplyRemoteRun"/> takes them) once for
    /// the whole batch instead of once per entry.
    /// </summary>
    private void EmitWindow(ref TeachCursor cursor, long[] window, UpdateBatch batch, uint now)
    {
        var entered = 0;
        try
        {
            for (; entered < _shards.Length; entered++)
            {
                _shards[entered].Gate.Enter();
            }

            var i = cursor.WindowNext;
            for (; i < cursor.WindowLength && !batch.IsFull; i++)
            {
                var packed = window[i];
                if (packed == 0)
                {
                    continue;
                }

                var shard = _shards[(int)(packed >> 32)];
                var slot = (int)(uint)packed - 1;
                var id = cursor.WindowBase + i + 1;
                if (slot >= shard.HighWater)
                {
                    continue;
                }

                ref var m = ref shard.Meta(slot);
                if ((m.Flags & (EntryFlags.Occupied | EntryFlags.InLog)) != (EntryFlags.Occupied | EntryFlags.InLog)
                    || m.LocalId != id || shard.IsExpired(slot, now))
                {
                    continue; // changed again since (it is at a newer id), learned, gone or expired
                }

                var idx = batch.Append(unchecked((uint)id), shard.KeyOf(slot), Remaining(shard, slot, now), learned: false);
                FillValues(shard, slot, batch.GetValues(idx), now);
            }

            cursor.WindowNext = i;
        }
        finally
        {
            while (entered > 0)
            {
                _shards[--entered].Gate.Exit();
            }
        }
    }

    /// <summary>The learned entries, shards walked in lockstep rounds (each round the same fraction of every shard).</summary>
    private void CollectLearned(ref TeachCursor cursor, UpdateBatch batch, uint now)
    {
        if (cursor.Positions is null)
        {
            long total = 0;
            foreach (var shard in _shards)
            {
                lock (shard.Gate)
                {
                    total += shard.HighWater;
                }
            }

            cursor.Positions = new int[_shards.Length];
            cursor.Rounds = (int)Math.Max(1, total / TeachRoundEntries);
        }

        while (!cursor.IsComplete && !batch.IsFull)
        {
            var shard = _shards[cursor.Shard];
            lock (shard.Gate)
            {
                var s = cursor.Positions[cursor.Shard];
                var lastRound = cursor.Round + 1 >= cursor.Rounds;
                var target = lastRound ? shard.HighWater : (int)Math.Min(shard.HighWater, (long)shard.HighWater * (cursor.Round + 1) / cursor.Rounds);
                for (; s < target && !batch.IsFull; s++)
                {
                    // Local entries were taught in id order, or changed during the walk (pushed after it).
                    if ((shard.Meta(s).Flags & (EntryFlags.Occupied | EntryFlags.InLog)) != EntryFlags.Occupied || shard.IsExpired(s, now))
                    {
                        continue;
                    }

                    var idx = batch.Append(++cursor.LearnedId, shard.KeyOf(s), Remaining(shard, s, now), learned: true);
                    FillValues(shard, s, batch.GetValues(idx), now);
                }

                cursor.Positions[cursor.Shard] = Math.Max(s, cursor.Positions[cursor.Shard]);
                cursor.Slot = cursor.Positions[cursor.Shard];
                if (s >= target)
                {
                    cursor.Shard++;
                    if (cursor.Shard >= _shards.Length)
                    {
                        cursor.Shard = 0;
                        cursor.Round++;
                        cursor.IsComplete = cursor.Round >= cursor.Rounds;
                    }

                    cursor.Slot = cursor.IsComplete ? 0 : cursor.Positions[cursor.Shard];
                }
            }
        }
    }
}
