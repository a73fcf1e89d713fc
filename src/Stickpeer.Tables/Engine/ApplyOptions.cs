// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Tables.Engine;

/// <summary>
/// Policy for applying a learned update. The default applies unconditionally (last writer wins).
/// During a lesson (full resync being learned), pass
/// <c>new ApplyOptions { PreserveLocalChangesAfter = markTakenWhenTheLessonStarted }</c>
/// with the mark from <see cref="StickTable.LocalChangeMark"/>: an entry changed locally
/// after the mark keeps its value and stays in the push window, so the newer local write is
/// not lost and is still pushed afterwards.
/// </summary>
public readonly record struct ApplyOptions
{
    /// <summary>
    /// When set: do not overwrite an entry whose last local change has a sequence greater
    /// than this mark (result <see cref="ApplyResult.IgnoredLocalNewer"/>). Null (default) disables the check.
    /// </summary>
    public long? PreserveLocalChangesAfter { get; init; }

    /// <summary>
    /// The table clock's tick (<see cref="TableClock.NowMs"/>) to apply at, read once by the caller for a
    /// batch of updates (like HAProxy's <c>now_ms</c>, fixed for one pass). Null (default) reads the clock.
    /// </summary>
    public uint? NowMs { get; init; }

    /// <summary>The policy for learning a lesson that started at <paramref name="mark"/>.</summary>
    public static ApplyOptions ForLesson(long mark) => new() { PreserveLocalChangesAfter = mark };
}
