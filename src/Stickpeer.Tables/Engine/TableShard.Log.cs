// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Tables.Engine;

/// <summary>
/// The shard's part of the update log: (sequence, slot) records appended in increasing
/// sequence order. A record is live while its slot still holds a local change with that
/// sequence; stale records (the key changed again, was learned or removed) are skipped and
/// compacted away, so a key appears once, at its latest id.
/// </summary>
internal sealed partial class TableShard
{
    private long[] _logIds = [];
    private int[] _logSlots = [];
    private int _logCount;

    private void InitLog()
    {
        _logIds = new long[InitialCapacity];
        _logSlots = new int[InitialCapacity];
    }

    /// <summary>Records a local change: the entry takes sequence <paramref name="id"/> and joins the push window.</summary>
    public void LogLocalChange(int slot, long id)
    {
        ref var m = ref Meta(slot);
        m.LocalId = id;
        m.Flags = (m.Flags | EntryFlags.InLog) & ~EntryFlags.Learned;
        if (_logCount == _logIds.Length)
        {
            MakeLogRoom();
        }

        _logIds[_logCount] = id;
        _logSlots[_logCount] = slot;
        _logCount++;
    }

    /// <summary>Marks an entry as learned from a peer: it leaves the push window.</summary>
    public void MarkLearned(int slot)
    {
        ref var m = ref Meta(slot);
        m.Flags = (m.Flags | EntryFlags.Learned) & ~EntryFlags.InLog;
    }

    private bool IsLive(int record)
    {
        ref var m = ref Meta(_logSlots[record]);
        return (m.Flags & (EntryFlags.Occupied | EntryFlags.InLog)) == (EntryFlags.Occupied | EntryFlags.InLog)
            && m.LocalId == _logIds[record];
    }

    private void MakeLogRoom()
    {
        var n = 0;
        for (var i = 0; i < _logCount; i++)
        {
            if (IsLive(i))
            {
                _logIds[n] = _logIds[i];
                _logSlots[n] = _logSlots[i];
                n++;
            }
        }

        _logCount = n;
        if (n > _logIds.Length - (_logIds.Length >> 2))
        {
            var length = _logIds.Length + (_logIds.Length >> 1);
            Array.Resize(ref _logIds, length);
            Array.Resize(ref _logSlots, length);
        }
    }

    /// <summary>
    /// Appends to <paramref name="into"/> up to <paramref name="max"/> live records with
    /// <paramref name="after"/> &lt; id ≤ <paramref name="upTo"/>, in increasing order.
    /// </summary>
    public void CollectLog(long after, long upTo, int max, List<LogCandidate> into)
    {
        var taken = 0;
        for (var i = FirstRecordAfter(after); i < _logCount && taken < max; i++)
        {
            var id = _logIds[i];
            if (id > upTo)
            {
                break;
            }

            if (IsLive(i))
            {
                into.Add(new LogCandidate(id, Index, _logSlots[i]));
                taken++;
            }
        }
    }

    /// <summary>
    /// For a teach walk in id order: every record (live or stale) with <paramref name="after"/> &lt; id ≤
    /// <paramref name="upTo"/> is written to <paramref name="byId"/>[id − after − 1] as this shard's index
    /// (high 32 bits) and slot + 1 (low 32 bits). Ids are unique across shards, so the shards fill one
    /// window without sorting; the caller checks liveness when it reads the entry.
    /// </summary>
    /// <returns>The first id above <paramref name="upTo"/> in this shard's log (<see cref="long.MaxValue"/>: none).</returns>
    public long MarkLogWindow(long after, long upTo, Span<long> byId)
    {
        var shard = (long)Index << 32;
        for (var i = FirstRecordAfter(after); i < _logCount; i++)
        {
            var id = _logIds[i];
            if (id > upTo)
            {
                return id;
            }

            byId[(int)(id - after - 1)] = shard | (uint)(_logSlots[i] + 1);
        }

        return long.MaxValue;
    }

    /// <summary>Binary search: the first record with an id above <paramref name="after"/>.</summary>
    private int FirstRecordAfter(long after)
    {
        int lo = 0, hi = _logCount;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_logIds[mid] <= after)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Number of log records (live and stale), for tests.</summary>
    internal int LogRecords => _logCount;
}
