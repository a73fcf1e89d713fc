// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Runtime.CompilerServices;

namespace Stickpeer.Tables.Engine;

/// <summary>
/// One shard of a table: entries stored column-wise (key bytes or, for long string keys, their
/// offsets in a key arena: TableShard.Keys.cs; value words, optional strings, bookkeeping), a
/// chained hash index, an expiry wheel and the shard's part of the update log.
/// Every member is called with <see cref="Gate"/> held.
/// Storage is paged: the first page grows geometrically up to <see cref="PageSize"/> slots (small
/// tables stay small), then whole pages are added. Growing never copies entries, so filling a
/// table (a full resync) allocates little more than the entries themselves. Pages are 1 024 slots:
/// with 4 096 a 100 000-entry table in 16 shards held 1.31 slots per entry (6 250 entries in 8 192
/// slots), with 1 024 1.15; 10 B less heap per entry at 100 000, 2 B at 1 000 000, and no
/// measurable fill CPU (docs/benchmarks.md, "Memory above the heap").
/// </summary>
internal sealed partial class TableShard
{
    internal const int None = -1;
    internal const int PageShift = 10;
    internal const int PageSize = 1 << PageShift;
    private const int PageMask = PageSize - 1;
    private const int InitialCapacity = 32;

    private readonly StickTable _table;
    private readonly int _keyStride;
    private readonly int _words;
    private readonly bool _hasText;

    private byte[][] _keys;
    private uint[][] _values;
    private string?[][] _texts;
    private EntryMeta[][] _meta;
    private int[] _buckets;
    private int _capacity;
    private int _highWater;
    private int _freeHead = None;

    public TableShard(StickTable table, int index, uint now)
    {
        _table = table;
        Index = index;
        _arenaKeys = table.Schema.KeyType == Protocol.Model.StickKeyType.String && table.KeyStride > ArenaMinStride && table.KeyStride <= ArenaMaxStride;
        _keyStride = _arenaKeys ? sizeof(int) : table.KeyStride;
        _words = table.Layout.Words;
        _hasText = table.Layout.HasText;
        _capacity = InitialCapacity;
        _keys = [new byte[_capacity * _keyStride]];
        _values = [new uint[_capacity * _words]];
        _texts = _hasText ? [new string?[_capacity]] : [];
        _meta = [new EntryMeta[_capacity]];
        _buckets = new int[_capacity];
        InitWheel(now);
        InitLog();
    }

    /// <summary>The lock guarding this shard.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Scratch values for <see cref="StickTable.Observer"/> calls (used under <see cref="Gate"/>; created on first use).</summary>
    public Protocol.Model.EntryValues? ObserverValues { get; set; }

    /// <summary>Position of this shard in the table.</summary>
    public int Index { get; }

    /// <summary>Entries in this shard (including expired ones not yet swept).</summary>
    public int Count { get; private set; }

    /// <summary>One past the highest slot ever used (iteration bound).</summary>
    public int HighWater => _highWater;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref EntryMeta Meta(int slot) => ref _meta[slot >> PageShift][slot & PageMask];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<uint> Row(int slot) => _values[slot >> PageShift].AsSpan((slot & PageMask) * _words, _words);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> KeyOf(int slot) => KeyAt(slot, Meta(slot).KeyLength);

    public string? TextOf(int slot) => _hasText ? _texts[slot >> PageShift][slot & PageMask] : null;

    public void SetText(int slot, string? text)
    {
        if (_hasText)
        {
            _texts[slot >> PageShift][slot & PageMask] = text;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsOccupied(int slot) => (Meta(slot).Flags & EntryFlags.Occupied) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsExpired(int slot, uint now)
    {
        var exp = Meta(slot).Expire;
        return exp != 0 && (int)(now - exp) >= 0;
    }

    /// <summary>Finds a slot by key; -1 when absent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(uint hash, ReadOnlySpan<byte> key)
    {
        var s = _buckets[hash & (uint)(_buckets.Length - 1)] - 1;
        while (s >= 0)
        {
            ref var m = ref Meta(s);
            if (m.Hash == hash && m.KeyLength == key.Length && KeyAt(s, key.Length).SequenceEqual(key))
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
    /// Inserts a new entry (caller checked absence and reserved room in the table count) with
    /// expiry tick <paramref name="expire"/> (0 = none). The row is zeroed.
    /// </summary>
    public int Insert(uint hash, ReadOnlySpan<byte> key, uint expire = 0)
    {
        int s;
        if (_freeHead != None)
        {
            s = _freeHead;
            _freeHead = Meta(s).HashNext;
        }
        else
        {
            if (_highWater == _capacity)
            {
                Grow();
            }

            s = _highWater++;
        }

        var page = s >> PageShift;
        var at = s & PageMask;
        StoreKey(_keys[page], at * _keyStride, key);
        _values[page].AsSpan(at * _words, _words).Clear();
        if (_hasText)
        {
            _texts[page][at] = null;
        }

        ref var m = ref _meta[page][at];
        var b = (int)(hash & (uint)(_buckets.Length - 1));
        m = new EntryMeta
        {
            Hash = hash,
            HashNext = _buckets[b] - 1,
            Prev = None,
            Next = None,
            Expire = expire,
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
        if (reason != RemovalReason.Expired && _table.Observer is { } observer)
        {
            observer.OnEntryRemoved(_table, KeyOf(slot));
        }

        ref var m = ref Meta(slot);
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
                ref var pm = ref Meta(s);
                if (pm.HashNext == slot)
                {
                    pm.HashNext = m.HashNext;
                    break;
                }

                s = pm.HashNext;
            }
        }

        WheelUnlink(slot);
        SetText(slot, null);
        ReleaseKey(ref m);
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
        if (_capacity < PageSize)
        {
            // The first page grows by half (not double) to keep the slack of a small table low.
            var cap = Math.Min(PageSize, _capacity + (_capacity >> 1));
            Array.Resize(ref _keys[0], cap * _keyStride);
            Array.Resize(ref _values[0], cap * _words);
            if (_hasText)
            {
                Array.Resize(ref _texts[0], cap);
            }

            Array.Resize(ref _meta[0], cap);
            _capacity = cap;
        }
        else
        {
            // Whole pages from then on: nothing is copied but the (small) page tables.
            var pages = _meta.Length + 1;
            Array.Resize(ref _keys, pages);
            Array.Resize(ref _values, pages);
            Array.Resize(ref _meta, pages);
            _keys[^1] = new byte[PageSize * _keyStride];
            _values[^1] = new uint[PageSize * _words];
            _meta[^1] = new EntryMeta[PageSize];
            if (_hasText)
            {
                Array.Resize(ref _texts, pages);
                _texts[^1] = new string?[PageSize];
            }

            _capacity += PageSize;
        }

        if (_capacity <= _buckets.Length)
        {
            return;
        }

        // The hash buckets stay a power of two, at least the capacity.
        var bucketCount = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)_capacity);
        var buckets = new int[bucketCount];
        for (var s = 0; s < _highWater; s++)
        {
            ref var m = ref Meta(s);
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
