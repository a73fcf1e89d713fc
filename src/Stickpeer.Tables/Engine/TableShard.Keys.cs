// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Runtime.CompilerServices;

namespace Stickpeer.Tables.Engine;

/// <summary>
/// Where a shard keeps its keys. Fixed-size keys (ip, ipv6, integer, binary) and short strings
/// (declared length ≤ <see cref="ArenaMinStride"/>) sit in a column at the declared size, as HAProxy
/// stores them. Longer string keys are stored at their real length in an arena of chunks, and the
/// column holds each key's 4-byte arena offset instead: `string len 32` with the benchmark's 13-byte
/// keys costs 4 + 13 bytes per entry instead of 32, a 32-byte key 36 instead of 32
/// (docs/benchmarks.md, "Memory above the heap"). The price is one more memory access when a probe's
/// hash matches (the key's bytes are no longer beside its offset); a probe whose hash differs never
/// reads a key.
/// Removing an entry leaves its bytes dead in the arena; when the dead bytes reach half of the arena,
/// the next chunk that would be added is a compaction instead (the live keys are copied to fresh
/// chunks), so the arena stays within twice the live keys and the copy costs O(1) per insert.
/// </summary>
internal sealed partial class TableShard
{
    /// <summary>Declared string key sizes above this (and up to <see cref="ArenaMaxStride"/>) are stored in the arena.</summary>
    internal const int ArenaMinStride = 16;

    /// <summary>Larger declared sizes keep the column: a key must fit in one chunk many times over.</summary>
    internal const int ArenaMaxStride = ArenaChunk / 16;

    private const int ArenaShift = 14;
    private const int ArenaChunk = 1 << ArenaShift;
    private const int ArenaMask = ArenaChunk - 1;
    private const int ArenaFirstChunk = 256;

    private readonly bool _arenaKeys;
    private byte[][] _arena = [];
    private int _arenaChunks;
    private int _arenaPos;
    private long _arenaBytes;
    private long _arenaDead;

    /// <summary>Bytes held by the arena's chunks; for tests and memory accounting.</summary>
    internal long ArenaCapacityBytes
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _arenaChunks; i++)
            {
                total += _arena[i].Length;
            }

            return total;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> KeyAt(int slot, int length)
    {
        var page = _keys[slot >> PageShift];
        var at = (slot & PageMask) * _keyStride;
        if (!_arenaKeys)
        {
            return page.AsSpan(at, length);
        }

        var offset = Unsafe.ReadUnaligned<int>(ref page[at]);
        return _arena[offset >> ArenaShift].AsSpan(offset & ArenaMask, length);
    }

    /// <summary>Stores <paramref name="key"/> for a slot being inserted (not yet marked occupied).</summary>
    private void StoreKey(byte[] page, int at, ReadOnlySpan<byte> key)
    {
        if (!_arenaKeys)
        {
            key.CopyTo(page.AsSpan(at, _keyStride));
            return;
        }

        if (_arenaChunks > 1 && _arenaPos + key.Length > ArenaChunk && _arenaDead * 2 >= _arenaBytes)
        {
            // A chunk would be added while half the arena is dead: reclaim instead.
            CompactArena();
        }

        Unsafe.WriteUnaligned(ref page[at], Append(key));
    }

    /// <summary>An entry's key is gone: its arena bytes are dead until the next compaction.</summary>
    private void ReleaseKey(ref EntryMeta m)
    {
        if (_arenaKeys)
        {
            _arenaDead += m.KeyLength;
            m.KeyLength = 0;
        }
    }

    private int Append(ReadOnlySpan<byte> key)
    {
        if (_arenaChunks == 0)
        {
            _arena = new byte[4][];
            _arena[0] = new byte[ArenaFirstChunk];
            _arenaChunks = 1;
            _arenaPos = 0;
        }

        var last = _arenaChunks - 1;
        var end = _arenaPos + key.Length;
        if (end > _arena[last].Length)
        {
            if (end <= ArenaChunk && _arena[last].Length < ArenaChunk)
            {
                // The first chunk grows by doubling (a small table stays small); offsets into it stay valid.
                var size = _arena[last].Length * 2;
                while (size < end)
                {
                    size *= 2;
                }

                Array.Resize(ref _arena[last], Math.Min(ArenaChunk, size));
            }
            else
            {
                if (_arenaChunks == _arena.Length)
                {
                    Array.Resize(ref _arena, _arena.Length * 2);
                }

                _arena[_arenaChunks++] = new byte[ArenaChunk];
                _arenaPos = 0;
                last++;
            }
        }

        key.CopyTo(_arena[last].AsSpan(_arenaPos));
        var offset = (last << ArenaShift) | _arenaPos;
        _arenaPos += key.Length;
        _arenaBytes += key.Length;
        return offset;
    }

    /// <summary>Copies the live keys to fresh chunks and drops the old ones.</summary>
    private void CompactArena()
    {
        var old = _arena;
        _arena = [];
        _arenaChunks = 0;
        _arenaPos = 0;
        _arenaBytes = 0;
        _arenaDead = 0;
        for (var s = 0; s < _highWater; s++)
        {
            ref var m = ref Meta(s);
            if ((m.Flags & EntryFlags.Occupied) == 0)
            {
                continue;
            }

            var page = _keys[s >> PageShift];
            var at = (s & PageMask) * _keyStride;
            var offset = Unsafe.ReadUnaligned<int>(ref page[at]);
            Unsafe.WriteUnaligned(ref page[at], Append(old[offset >> ArenaShift].AsSpan(offset & ArenaMask, m.KeyLength)));
        }
    }
}
