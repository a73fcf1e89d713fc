// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Tables.Engine;

/// <summary>Enumeration, snapshots and clearing (admin paths; one shard locked at a time).</summary>
public sealed partial class StickTable
{
    /// <summary>
    /// Snapshots of the live entries matching <paramref name="filter"/> (all when null), taken
    /// shard by shard (no global lock; entries changing meanwhile may be seen before or after
    /// the change). The order is unspecified.
    /// </summary>
    public IEnumerable<StickEntrySnapshot> Enumerate(EntryFilter? filter = null)
    {
        CheckFilter(filter);
        if (filter?.Key is { } key)
        {
            if (TryGetSnapshot(key, out var one) && Matches(filter, one))
            {
                yield return one;
            }

            yield break;
        }

        var buffer = new List<StickEntrySnapshot>();
        foreach (var shard in _shards)
        {
            buffer.Clear();
            var now = Clock.NowMs;
            lock (shard.Gate)
            {
                for (var s = 0; s < shard.HighWater; s++)
                {
                    if (shard.IsOccupied(s) && !shard.IsExpired(s, now) && MatchesSlot(filter, shard, s, now))
                    {
                        buffer.Add(Snapshot(shard, s, now));
                    }
                }
            }

            foreach (var snapshot in buffer)
            {
                yield return snapshot;
            }
        }
    }

    /// <summary>Snapshot of one live entry.</summary>
    public bool TryGetSnapshot(ReadOnlySpan<byte> key, out StickEntrySnapshot snapshot)
    {
        snapshot = null!;
        if (!TryNormalize(key, out var k))
        {
            return false;
        }

        var hash = Hash(k);
        var shard = ShardFor(hash);
        var now = Clock.NowMs;
        lock (shard.Gate)
        {
            var slot = shard.FindLive(hash, k, now);
            if (slot < 0)
            {
                return false;
            }

            snapshot = Snapshot(shard, slot, now);
            return true;
        }
    }

    /// <summary>Snapshot of the live entry with this <see cref="StickEntrySnapshot.Handle"/> (<c>ptr 0x…</c>).</summary>
    public bool TryGetByHandle(ulong handle, out StickEntrySnapshot snapshot)
    {
        snapshot = null!;
        if (!TryDecodeHandle(handle, out var shard, out var slot))
        {
            return false;
        }

        var now = Clock.NowMs;
        lock (shard.Gate)
        {
            if (slot >= shard.HighWater || !shard.IsOccupied(slot) || shard.IsExpired(slot, now))
            {
                return false;
            }

            snapshot = Snapshot(shard, slot, now);
            return true;
        }
    }

    /// <summary>
    /// Removes the live entries matching <paramref name="filter"/> (all when null) on this node
    /// only, skipping entries in use. Returns how many were removed.
    /// </summary>
    public int Clear(EntryFilter? filter = null)
    {
        CheckFilter(filter);
        if (filter?.Key is { } key)
        {
            return TryGetSnapshot(key, out var one) && Matches(filter, one) && Remove(key) == RemoveResult.Removed ? 1 : 0;
        }

        var removed = 0;
        foreach (var shard in _shards)
        {
            var now = Clock.NowMs;
            lock (shard.Gate)
            {
                for (var s = 0; s < shard.HighWater; s++)
                {
                    if (!shard.IsOccupied(s))
                    {
                        continue;
                    }

                    if (shard.IsExpired(s, now))
                    {
                        shard.Remove(s, RemovalReason.Expired);
                    }
                    else if (shard.Meta(s).RefCount == 0 && MatchesSlot(filter, shard, s, now))
                    {
                        shard.Remove(s, RemovalReason.Cleared);
                        removed++;
                    }
                }
            }
        }

        return removed;
    }

    private void CheckFilter(EntryFilter? filter)
    {
        if (filter is null)
        {
            return;
        }

        foreach (var c in filter.Conditions)
        {
            if (Validate(c.Type, c.Index, numeric: true) != LocalUpdateStatus.Updated)
            {
                throw new ArgumentException($"data type {c.Type}[{c.Index}] is not a numeric type stored in table {Name}", nameof(filter));
            }
        }
    }

    private bool MatchesSlot(EntryFilter? filter, TableShard shard, int slot, uint now)
    {
        if (filter is null)
        {
            return true;
        }

        if (filter.Learned is { } learned && ((shard.Meta(slot).Flags & EntryFlags.Learned) != 0) != learned)
        {
            return false;
        }

        foreach (var c in filter.Conditions)
        {
            if (!c.Matches(Scaled(c.Type, ReadNumber(shard, slot, c.Type, c.Index, now))))
            {
                return false;
            }
        }

        return true;
    }

    private bool Matches(EntryFilter filter, StickEntrySnapshot snapshot)
    {
        if (filter.Learned is { } learned && snapshot.IsLearned != learned)
        {
            return false;
        }

        foreach (var c in filter.Conditions)
        {
            if (!c.Matches(ValueOf(snapshot, c.Type, c.Index)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A numeric value of a snapshot as HAProxy reports it (rates: read at the snapshot time; byte rates times <see cref="BytesRateFactor"/>).</summary>
    public long ValueOf(StickEntrySnapshot snapshot, StickDataType type, int index)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var slots = snapshot.Values.Of(type);
        if ((uint)index >= (uint)slots.Length)
        {
            return 0;
        }

        var w = slots[index];
        return DataTypeCatalogue.Get(type).Encoding switch
        {
            DataEncoding.SignedInt => (int)w.Number,
            DataEncoding.UnsignedInt => (uint)w.Number,
            DataEncoding.UnsignedLong => unchecked((long)w.Number),
            DataEncoding.FrequencyCounter => Scaled(type, FreqCounter.ReadAtAge(w.AgeMs, w.Current, w.Previous, Layout.PeriodOf(type))),
            _ => 0,
        };
    }

    private StickEntrySnapshot Snapshot(TableShard shard, int slot, uint now)
    {
        ref var m = ref shard.Meta(slot);
        var values = new EntryValues(Schema);
        FillValues(shard, slot, values, now);
        var inLog = (m.Flags & EntryFlags.InLog) != 0;
        return new StickEntrySnapshot(
            MakeHandle(shard.Index, slot),
            shard.KeyOf(slot).ToArray(),
            m.RefCount,
            m.Expire != 0,
            Remaining(shard, slot, now),
            (m.Flags & EntryFlags.Learned) != 0,
            inLog ? unchecked((uint)m.LocalId) : null,
            values);
    }

    private bool TryDecodeHandle(ulong handle, out TableShard shard, out int slot)
    {
        shard = null!;
        slot = -1;
        if (handle < HandleBase)
        {
            return false;
        }

        var rel = handle - HandleBase;
        var shardIndex = rel >> 32;
        var offset = rel & 0xFFFFFFFFUL;
        if (shardIndex >= (ulong)_shards.Length || (offset & 7) != 0)
        {
            return false;
        }

        shard = _shards[(int)shardIndex];
        slot = (int)(offset / 8);
        return true;
    }
}
