// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Replication;

namespace Stickpeer.Node.Persistence;

/// <summary>
/// Writes a snapshot of every table: to <c>snapshot.tmp</c>, fsync, rename over
/// <c>snapshot.sps</c>, fsync of the directory. The walk takes one shard lock at a time (the
/// table engine is thread-safe), so the node keeps running; changes made during the walk are
/// also in the log generation the snapshot names, and replaying them over it gives the final
/// state because every record carries an entry's full content.
/// </summary>
internal static class SnapshotWriter
{
    private const int FlushBytes = 1 << 20;

    /// <summary>
    /// Writes the snapshot; returns (entries, bytes). The old snapshot stays until the rename.
    /// Null, with the temp file removed, when <paramref name="stillValid"/> says no just before the
    /// rename (persistence stopped during the walk, so the log it names lacks changes).
    /// </summary>
    public static (long Entries, long Bytes)? Write(string directory, ulong nextGeneration, IReadOnlyList<StickTable> tables, TimeProvider time, Func<bool> stillValid, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(directory, DataDirectory.SnapshotTempName);
        var encoder = new RecordEncoder();
        var buffer = new ArrayBufferWriter<byte>(FlushBytes + (64 * 1024));
        long entries = 0;
        long bytes;
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            try
            {
                PersistenceFormat.WriteHeader(buffer.GetSpan(PersistenceFormat.HeaderSize), FileKind.Snapshot, nextGeneration);
                buffer.Advance(PersistenceFormat.HeaderSize);
                for (var t = 0; t < tables.Count; t++)
                {
                    var table = tables[t];
                    var id = t + 1;
                    encoder.WriteTable(buffer, id, table.Name, table.Schema);
                    var batch = new UpdateBatch(table.Schema, 512);
                    var cursor = default(TeachCursor);
                    while (!cursor.IsComplete)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        table.CollectAll(ref cursor, batch);
                        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                        for (var i = 0; i < batch.Count; i++)
                        {
                            var left = batch.GetExpireMs(i);
                            var expireAt = table.ExpireMs == 0 ? 0 : now + Math.Max(left, 1u);
                            encoder.WriteUpsert(buffer, id, now, expireAt, batch.GetKey(i), batch.GetValues(i));
                            entries++;
                        }

                        if (buffer.WrittenCount >= FlushBytes)
                        {
                            file.Write(buffer.WrittenSpan);
                            buffer.ResetWrittenCount();
                        }
                    }
                }

                encoder.WriteEnd(buffer, entries);
                file.Write(buffer.WrittenSpan);
                file.Flush(flushToDisk: true);
                bytes = file.Length;
            }
            catch
            {
                file.Dispose();
                TryDelete(temp);
                throw;
            }
        }

        if (!stillValid())
        {
            TryDelete(temp);
            return null;
        }

        File.Move(temp, Path.Combine(directory, DataDirectory.SnapshotName), overwrite: true);
        DataDirectory.Sync(directory);
        return (entries, bytes);
    }

    /// <summary>Removes the logs the snapshot made redundant (older than <paramref name="nextGeneration"/>).</summary>
    public static void RemoveOlderLogs(string directory, ulong nextGeneration)
    {
        var removed = false;
        foreach (var (generation, path) in DataDirectory.ListLogs(directory))
        {
            if (generation < nextGeneration)
            {
                File.Delete(path);
                removed = true;
            }
        }

        if (removed)
        {
            DataDirectory.Sync(directory);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover temp file is overwritten by the next snapshot and ignored at load.
        }
    }
}
