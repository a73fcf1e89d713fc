// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Tables.Engine;

/// <summary>
/// Receives every change of a table's content as it happens (persistence uses it to log
/// changes). Called with the entry's shard lock held, so calls for one key arrive in the order
/// the changes were made; calls for keys of different shards may arrive concurrently. An
/// implementation must be quick and must not call back into the table.
/// </summary>
public interface IStickTableObserver
{
    /// <summary>
    /// An entry was created or changed, locally or by a peer. <paramref name="values"/> holds every
    /// value now (in the table's schema, rate ages relative to now) and is only valid during the call.
    /// </summary>
    /// <param name="table">The table.</param>
    /// <param name="key">The canonical key bytes.</param>
    /// <param name="values">The entry's values.</param>
    /// <param name="expireMs">Remaining lifetime in ms (0 when the table has no expire).</param>
    void OnEntryChanged(StickTable table, ReadOnlySpan<byte> key, EntryValues values, uint expireMs);

    /// <summary>An entry was removed before its expiry (<c>clear table</c>, <see cref="StickTable.Remove"/>, evicted to make room).</summary>
    void OnEntryRemoved(StickTable table, ReadOnlySpan<byte> key);
}
