// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Tables.Engine;

/// <summary>A copy of one entry taken at one instant (for <c>show table</c>, admin and tests).</summary>
public sealed class StickEntrySnapshot
{
    internal StickEntrySnapshot(ulong handle, byte[] key, int refCount, bool hasExpiry, uint expireMs, bool learned, uint? localUpdateId, EntryValues values)
    {
        Handle = handle;
        Key = key;
        RefCount = refCount;
        HasExpiry = hasExpiry;
        ExpireMs = expireMs;
        IsLearned = learned;
        LocalUpdateId = localUpdateId;
        Values = values;
    }

    /// <summary>An opaque id of the entry's storage slot, shown as <c>0x…</c> (valid until the entry is removed).</summary>
    public ulong Handle { get; }

    /// <summary>The canonical key bytes.</summary>
    public byte[] Key { get; }

    /// <summary>Number of holders (HAProxy's <c>use</c>).</summary>
    public int RefCount { get; }

    /// <summary>False when the table has no expire (the entry lives until evicted or cleared).</summary>
    public bool HasExpiry { get; }

    /// <summary>Remaining lifetime in ms (0 when <see cref="HasExpiry"/> is false).</summary>
    public uint ExpireMs { get; }

    /// <summary>True when the last change came from a peer.</summary>
    public bool IsLearned { get; }

    /// <summary>The update id of the last local change while it is in the push window; null otherwise.</summary>
    public uint? LocalUpdateId { get; }

    /// <summary>The values in the table's schema; rate ages are relative to the snapshot time.</summary>
    public EntryValues Values { get; }
}
