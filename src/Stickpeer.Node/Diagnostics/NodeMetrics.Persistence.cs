// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.Metrics;
using Stickpeer.Node.Persistence;

namespace Stickpeer.Node.Diagnostics;

/// <content>
/// The data directory's instruments. They read the store's published progress directly (atomic
/// reads, no node lock): whether changes are being saved, how far the log got, what waits in
/// memory and how long ago the last fsync was — the number to alert on with <c>fsync every</c>.
/// </content>
public sealed partial class NodeMetrics
{
    private void CreatePersistenceInstruments(NodePersistence store, TimeProvider time)
    {
        _meter.CreateObservableGauge("stickpeer.persistence.saving", () => store.IsPersistent ? 1L : 0L, "1", "1 while changes are saved to the data directory, 0 after the disk refused them (event 6010) until saving resumes (6011).");
        _meter.CreateObservableCounter(
            "stickpeer.persistence.changes",
            () => new[]
            {
                new Measurement<long>(store.Appended, Tag("stage", "appended")),
                new Measurement<long>(store.Written, Tag("stage", "written")),
                new Measurement<long>(store.Synced, Tag("stage", "synced")),
            },
            "{change}",
            "Changes handed to the log (appended), written to the file (written) and fsynced (synced).");
        _meter.CreateObservableGauge("stickpeer.persistence.pending", () => store.PendingBytes, "By", "Bytes of changes waiting in memory for the disk.");
        _meter.CreateObservableGauge("stickpeer.persistence.log_size", () => store.LogBytes, "By", "Bytes of change log written since the last snapshot.");
        _meter.CreateObservableGauge("stickpeer.persistence.last_fsync_age", () => (time.GetUtcNow() - store.LastSyncAt).TotalSeconds, "s", "Seconds since the log was last fsynced (since opening, before the first fsync).");
    }
}
