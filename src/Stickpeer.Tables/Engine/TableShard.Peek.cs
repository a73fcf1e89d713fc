// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Tables.Engine;

/// <content>
/// Loads without the lock, for <see cref="StickTable.ApplyRemoteRun"/>: reading the bucket and the
/// chain head of a run of hashes before applying them lets the CPU overlap those cache misses.
/// The values read are only hints (a racing <see cref="Grow"/> may replace the arrays): nothing is
/// decided on them, and each read stays within the bounds of the array it reads.
/// </content>
internal sealed partial class TableShard
{
    /// <summary>Reads the bucket of <paramref name="hash"/> (its value, for the caller to consume).</summary>
    public int PeekBucket(uint hash)
    {
        var buckets = _buckets;
        return buckets[hash & (uint)(buckets.Length - 1)];
    }

    /// <summary>Reads the hash of the first entry in the chain of <paramref name="hash"/>, if any.</summary>
    public int PeekChainHead(uint hash)
    {
        var buckets = _buckets;
        var s = buckets[hash & (uint)(buckets.Length - 1)] - 1;
        var meta = _meta;
        var page = s >> PageShift;
        if (s < 0 || (uint)page >= (uint)meta.Length)
        {
            return 0;
        }

        var entries = meta[page];
        var at = s & PageMask;
        return at < entries.Length ? (int)entries[at].Hash : 0;
    }
}
