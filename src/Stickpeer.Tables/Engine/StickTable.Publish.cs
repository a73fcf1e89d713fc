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
        return ChangeLocally(key, values, static (table, shard, slot, in computed, now) => table.StoreRemoteValues(shard, slot, computed, now));
    }
}
