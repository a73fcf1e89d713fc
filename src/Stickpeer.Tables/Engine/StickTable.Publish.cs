// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Tables.Engine;

/// <summary>Writing computed values (aggregation output) as a local change.</summary>
public sealed partial class StickTable
{
    /// <summary>
    /// Gets or creates the entry and stores every value of <paramref name="values"/> (laid out in
    /// <see cref="Schema"/>; rates as ages relative to now, like <see cref="TryFillValues"/> gives them)
    /// as one local change: the entry gets a new update id and is pushed to every peer. Unlike
    /// <see cref="Set"/>, rates keep their period start and both period counts, so a sum computed
    /// elsewhere is stored exactly.
    /// </summary>
    public LocalUpdateStatus Publish(ReadOnlySpan<byte> key, EntryValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckOwnSchema(values.Schema);
        if (!TryNormalize(key, out var k))
        {
            return LocalUpdateStatus.InvalidKey;
        }

        var hash = Hash(k);
        var shard = ShardFor(hash);
        var now = Clock.NowMs;
        lock (shard.Gate)
        {
            var status = GetOrCreate(shard, hash, k, now, out var slot);
            if (slot < 0)
            {
                return status;
            }

            StoreRemoteValues(shard, slot, values, now);
            LocalChange(shard, slot, now);
            return status;
        }
    }
}
