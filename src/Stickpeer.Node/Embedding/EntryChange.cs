// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Embedding;

/// <summary>What happened to an entry.</summary>
public enum EntryChangeKind
{
    /// <summary>Created or changed, by this process or by a peer.</summary>
    Changed,

    /// <summary>Removed before its expiry (<see cref="StickpeerTable.Remove(TableKey)"/>, <c>clear table</c>, evicted to make room). Expiry itself is not reported.</summary>
    Removed,
}

/// <summary>One change of one entry, as seen by <see cref="StickpeerNode.WatchAsync"/>.</summary>
/// <param name="Table">The table's local name (<c>section/name</c> or the proxy's name).</param>
/// <param name="Key">The key as <c>show table</c> prints it.</param>
/// <param name="Kind">Changed or removed.</param>
/// <param name="Missed">How many changes this consumer missed just before this one because it read too slowly (its buffer was full and the oldest were dropped); 0 normally.</param>
public sealed record EntryChange(string Table, string Key, EntryChangeKind Kind, long Missed);
