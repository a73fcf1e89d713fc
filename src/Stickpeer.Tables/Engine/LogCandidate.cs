// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Tables.Engine;

/// <summary>A live update-log record found while collecting local changes; ordered by id (ids are unique).</summary>
/// <remarks>Comparable itself, so sorting a span of them takes no comparer object (nothing allocated per collect).</remarks>
internal readonly record struct LogCandidate(long Id, int Shard, int Slot) : IComparable<LogCandidate>
{
    public int CompareTo(LogCandidate other) => Id.CompareTo(other.Id);
}
