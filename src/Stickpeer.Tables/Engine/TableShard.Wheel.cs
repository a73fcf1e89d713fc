// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Tables.Engine;

/// <summary>
/// The expiry wheel: buckets of 2^shift milliseconds each holding a doubly linked list in
/// touch order; the wheel spans more than the table expire so a bucket never mixes laps.
/// Tables without expire keep every entry in bucket 0, which is then a plain LRU list.
/// The sweep removes whole buckets once their time has passed (plus the expired head of the
/// current bucket), so it never scans the whole shard. Eviction takes the oldest-expiring
/// unused entries first.
/// </summary>
internal sealed partial class TableShard
{
    private int[] _wheelHead = [];
    private int[] _wheelTail = [];
    private int _wheelShift;
    private int _wheelMask;
    private uint _sweepTick;

    private void InitWheel(uint now)
    {
        var expire = _table.ExpireMs;
        var buckets = expire == 0 ? 1 : _table.WheelBuckets;
        _wheelHead = new int[buckets];
        _wheelTail = new int[buckets];
        Array.Fill(_wheelHead, None);
        Array.Fill(_wheelTail, None);
        _wheelMask = buckets - 1;
        _wheelShift = _table.WheelShift;
        _sweepTick = BucketStart(now);
    }

    private uint BucketStart(uint tick) => _wheelShift >= 32 ? 0 : tick & ~((1u << _wheelShift) - 1);

    private uint BucketSpan => 1u << _wheelShift;

    private int BucketOf(uint expire) => _wheelMask == 0 ? 0 : (int)((expire >> _wheelShift) & (uint)_wheelMask);

    private void WheelLink(int slot)
    {
        ref var m = ref Meta(slot);
        var b = BucketOf(m.Expire);
        var tail = _wheelTail[b];
        m.Prev = tail;
        m.Next = None;
        if (tail == None)
        {
            _wheelHead[b] = slot;
        }
        else
        {
            Meta(tail).Next = slot;
        }

        _wheelTail[b] = slot;
    }

    private void WheelUnlink(int slot)
    {
        ref var m = ref Meta(slot);
        var b = BucketOf(m.Expire);
        if (m.Prev == None)
        {
            _wheelHead[b] = m.Next;
        }
        else
        {
            Meta(m.Prev).Next = m.Next;
        }

        if (m.Next == None)
        {
            _wheelTail[b] = m.Prev;
        }
        else
        {
            Meta(m.Next).Prev = m.Prev;
        }

        m.Prev = None;
        m.Next = None;
    }

    /// <summary>Sets a new expiry tick and moves the entry to the tail of its bucket.</summary>
    public void SetExpire(int slot, uint expire)
    {
        ref var m = ref Meta(slot);
        if (m.Next == None && BucketOf(m.Expire) == BucketOf(expire))
        {
            m.Expire = expire; // already the tail of that bucket
            return;
        }

        WheelUnlink(slot);
        m.Expire = expire;
        WheelLink(slot);
    }

    /// <summary>Sweeps when a whole bucket's time has passed since the last sweep (cheap check on writes).</summary>
    public void SweepIfDue(uint now)
    {
        if (_wheelMask != 0 && (int)(now - (_sweepTick + BucketSpan)) >= 0)
        {
            Sweep(now);
        }
    }

    /// <summary>Removes expired entries from the buckets whose time has passed. Returns how many.</summary>
    public int Sweep(uint now)
    {
        if (_wheelMask == 0)
        {
            return 0;
        }

        var removed = 0;
        var span = BucketSpan;
        var steps = 0;
        while ((int)(now - (_sweepTick + span)) >= 0)
        {
            var b = BucketOf(_sweepTick);
            var s = _wheelHead[b];
            while (s != None)
            {
                var next = Meta(s).Next;
                if (IsExpired(s, now))
                {
                    Remove(s, RemovalReason.Expired);
                    removed++;
                }

                s = next;
            }

            _sweepTick += span;
            if (++steps > _wheelMask)
            {
                // A whole lap was processed (the clock jumped): restart from now's bucket.
                _sweepTick = BucketStart(now);
                break;
            }
        }

        var cur = _wheelHead[BucketOf(_sweepTick)];
        while (cur != None && IsExpired(cur, now))
        {
            var next = Meta(cur).Next;
            Remove(cur, RemovalReason.Expired);
            removed++;
            cur = next;
        }

        return removed;
    }

    /// <summary>
    /// Removes the oldest-expiring entry that nobody uses (an expired one counts as an
    /// expiration, otherwise an eviction). False when every entry is in use or the shard is empty.
    /// </summary>
    public bool EvictOne(uint now)
    {
        if (Count == 0)
        {
            return false;
        }

        var start = BucketOf(_sweepTick);
        for (var i = 0; i <= _wheelMask; i++)
        {
            var s = _wheelHead[(start + i) & _wheelMask];
            while (s != None)
            {
                if (Meta(s).RefCount == 0)
                {
                    Remove(s, IsExpired(s, now) ? RemovalReason.Expired : RemovalReason.Evicted);
                    return true;
                }

                s = Meta(s).Next;
            }
        }

        return false;
    }
}
