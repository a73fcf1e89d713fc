// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Runtime.CompilerServices;

namespace Stickpeer.Tables.Engine;

/// <summary>
/// One shard of a table: entries stored column-wise in flat arrays (key bytes, value words,
/// optional strings, bookkeeping), a chained hash index, an expiry wheel and the shard's part
/// of the update log. Every member is called with <see cref="Gate"/> held.
/// </summary>
internal sealed partial class TableShard
{
    internal const int None = -1;
    private const int InitialCapacity = 32;

    private readonly StickTable _table;
    private readonly int _keyStride;
    private readonly int _words;
    private readonly bool _hasText;

    private byte[] _keys;
    private uint[] _values;
    private string?[] _texts;
    private EntryMeta[] _meta;
    private int[] _buckets;
    private int _capacity;
    private int _highWater;
    private int _freeHead = None;

    public TableShard(StickTable table, int index, uint now)
    {
        _table = table;
        Index = index;
        _keyStride = table.KeyStride;
        _words = table.Layout.Words;
        _hasText = table.Layout.HasText;
        _capacity = InitialCapacity;
        _keys = new byte[_capacity * _keyStride];
        _values = new uint[_capacity * _words];
        _texts = _hasText ? new string?[_capacity] : [];
        _meta = new EntryMeta[_capacity];
        _buckets = new int[_capacity];
        InitWheel(now);
        InitLog();
    }

    /// <summary>The lock guarding this shard.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Position of this shard in the table.</summary>
    public int Index { get; }

    /// <summary>Entries in this shard (including expired ones not yet swept).</summary>
    public int Count { get; private set; }

    /// <summary>One past the highest slot ever used (iteration bound).</summary>
    public int HighWater => _highWater;

    public ref EntryMeta Meta(int slot) => ref _meta[slot];

    public Span<uint> Row(int slot) => _values.AsSpan(slot * _words, _words);

    public ReadOnlySpan<byte> KeyOf(int slot) => _keys.AsSpan(slot * _keyStride, _meta[slot].KeyLength);

    public string? TextOf(int slot) => _hasText ? _texts[slot] : null;

    public void SetText(int slot, string? text)
    {
        if (_hasText)
        {
            _texts[slot] = text;
        }
    }

    public bool IsOccupied(int slot) => (_meta[slot].Flags & EntryFlags.Occupied) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsExpired(int slot, uint now)
    {
        var exp = _meta[slot].Expire;
        return exp != 0 && (int)(now - exp) >= 0;
    }

    /// <summary>Finds a slot by key; -1 when absent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(uint hash, ReadOnlySpan<byte> key)
    {
        var s = _buckets[hash & (uint)(_buckets.Length - 1)] - 1;
        while (s >= 0)
        {
            ref var m = ref _meta[s];
            if (m.Hash == hash && m.KeyLength == key.Length &&
                _keys.AsSpan(s * _keyStride, key.Length).SequenceEqual(key))
            {
                return s;
            }

            s = m.HashNext;
        }

        return None;
    }

    /// <summary>Finds a live (not expired) slot; an expired one is removed on the way.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int FindLive(uint hash, ReadOnlySpan<byte> key, uint now)
    {
        var s = Find(hash, key);
        if (s >= 0 && IsExpired(s, now))
        {
            Remove(s, RemovalReason.Expired);
            return None;
        }

        return s;
    }

    /// <summary>
    /// Inserts a new entry (caller checked absence and reserved room in the table count).
    /// The row is zeroed; the entry is not yet in the wheel: the caller sets its expiry.
    /// </summary>
    public int Insert(uint hash, ReadOnlySpan<byte> key)
    {
        int s;
        if (_freeHead != None)
        {
            s = _freeHead;
            _freeHead = _meta[s].HashNext;
        }
        else
        {
            if (_highWater == _capacity)
            {
                Grow();
            }

            s = _highWater++;
        }

        key.CopyTo(_keys.AsSpan(s * _keyStride, _keyStride));
        Row(s).Clear();
        if (_hasText)
        {
            _texts[s] = null;
        }

        ref var m = ref _meta[s];
        var b = (int)(hash & (uint)(_buckets.Length - 1));
        m = new EntryMeta
        {
            Hash = hash,
            HashNext = _buckets[b] - 1,
            Prev = None,
            Next = None,
            Expire = 0,
            KeyLength = (ushort)key.Length,
            Flags = EntryFlags.Occupied,
        };
        _buckets[b] = s + 1;
        Count++;
        WheelLink(s);
        return s;
    }

    /// <summary>Removes an entry and releases its slot.</summary>
    public void Remove(int slot, RemovalReason reason)
    {
        ref var m = ref _meta[slot];
        var b = (int)(m.Hash & (uint)(_buckets.Length - 1));
        var s = _buckets[b] - 1;
        if (s == slot)
        {
            _buckets[b] = m.HashNext + 1;
        }
        else
        {
            while (s >= 0)
            {
                ref var pm = ref _meta[s];
                if (pm.HashNext == slot)
                {
                    pm.HashNext = m.HashNext;
                    break;
                }

                s = pm.HashNext;
            }
        }

        WheelUnlink(slot);
        if (_hasText)
        {
            _texts[slot] = null;
        }

        m.Flags = EntryFlags.None;
        m.LocalId = 0;
        m.RefCount = 0;
        m.HashNext = _freeHead;
        _freeHead = slot;
        Count--;
        _table.OnRemoved(reason);
    }

    private void Grow()
    {
        // Grow by half (not double) to keep the slack of a filling table low; the hash
        // buckets stay a power of two, at least the capacity.
        var cap = _capacity + (_capacity >> 1);
        Array.Resize(ref _keys, cap * _keyStride);
        Array.Resize(ref _values, cap * _words);
        if (_hasText)
        {
            Array.Resize(ref _texts, cap);
        }

        Array.Resize(ref _meta, cap);
        _capacity = cap;
        if (cap <= _buckets.Length)
        {
            return;
        }

        var bucketCount = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)cap);
        var buckets = new int[bucketCount];
        for (var s = 0; s < _highWater; s++)
        {
            ref var m = ref _meta[s];
            if ((m.Flags & EntryFlags.Occupied) == 0)
            {
                continue;
            }

            var b = (int)(m.Hash & (uint)(bucketCount - 1));
            m.HashNext = buckets[b] - 1;
            buckets[b] = s + 1;
        }

        _buckets = buckets;
    }
}
