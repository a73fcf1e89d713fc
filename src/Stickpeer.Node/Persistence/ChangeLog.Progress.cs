// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Persistence;

/// <content>Progress published for observers on other threads (metrics): when the log was last fsynced.</content>
internal sealed partial class ChangeLog
{
    // Unix milliseconds of the last successful fsync (or of opening); written by the flusher only.
    private long _lastSyncUnixMs;

    /// <summary>When the log was last fsynced (or opened, before its first fsync).</summary>
    public DateTimeOffset LastSyncAt => DateTimeOffset.FromUnixTimeMilliseconds(Volatile.Read(ref _lastSyncUnixMs));

    private void PublishSync(DateTimeOffset at) => Volatile.Write(ref _lastSyncUnixMs, at.ToUnixTimeMilliseconds());
}
