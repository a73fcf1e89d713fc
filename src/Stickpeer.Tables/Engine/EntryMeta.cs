// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Tables.Engine;

/// <summary>Per-slot bookkeeping of a shard (32 bytes).</summary>
internal struct EntryMeta
{
    /// <summary>Next slot in the hash chain, or in the free list; -1 for none.</summary>
    public int HashNext;

    /// <summary>Full hash of the key.</summary>
    public uint Hash;

    /// <summary>Previous slot in the expiry-wheel bucket list, -1 for none.</summary>
    public int Prev;

    /// <summary>Next slot in the expiry-wheel bucket list, -1 for none.</summary>
    public int Next;

    /// <summary>Expiry tick (0 = never, HAProxy's TICK_ETERNITY).</summary>
    public uint Expire;

    /// <summary>Key length in bytes.</summary>
    public ushort KeyLength;

    /// <summary>State flags.</summary>
    public EntryFlags Flags;

    /// <summary>Number of holders (HAProxy's <c>use</c>); an entry in use is never evicted.</summary>
    public byte RefCount;

    /// <summary>64-bit sequence number of the last local change (0 = none).</summary>
    public long LocalId;
}
