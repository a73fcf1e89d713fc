// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;
using Stickpeer.Node.Transport;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Node.Persistence;

/// <summary>
/// A node's tables on disk (docs/persistence.md): loads the data directory into the tables at
/// start-up, then logs every change (local and learned) through <see cref="IStickTableObserver"/>,
/// and writes a snapshot when the logs have grown. It is the node's <see cref="IOutputGate"/>: no
/// ACK leaves before the changes it confirms are synced (<see cref="FsyncMode.Always"/>) or at
/// least handed to the kernel (the other policies).
/// </summary>
public sealed class NodePersistence : IStickTableObserver, IOutputGate, IAsyncDisposable
{
    // The file is locked by another process: .NET on Linux reports flock's errno (EWOULDBLOCK = 11),
    // on Windows ERROR_SHARING_VIOLATION.
    private const int LockedErrno = 11;
    private const int SharingViolation = unchecked((int)0x80070020);

    private readonly PersistenceOptions _options;
    private readonly IReadOnlyList<StickTable> _tables;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FileStream _lock;
    private readonly ChangeLog _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _snapshotGate = new();
    private Task _snapshot = Task.CompletedTask;
    private long _lastSnapshotBytes;
    private bool _disposed;

    private NodePersistence(PersistenceOptions options, IReadOnlyList<StickTable> tables, TimeProvider time, ILogger logger, FileStream lockFile, ChangeLog log, LoadReport report)
    {
        _options = options;
        _tables = tables;
        _time = time;
        _logger = logger;
        _lock = lockFile;
        _log = log;
        Report = report;
        _log.SnapshotDue = () => _ = StartSnapshotAsync(force: false);
        _log.RecoveryDue = StartRecovery;
    }

    /// <summary>What the start-up load found.</summary>
    public LoadReport Report { get; }

    /// <summary>The options in force.</summary>
    public PersistenceOptions Options => _options;

    /// <summary>Changes logged since start.</summary>
    public long Appended => _log.Appended;

    /// <summary>Changes handed to the operating system.</summary>
    public long Written => _log.Written;

    /// <summary>Changes forced to disk.</summary>
    public long Synced => _log.Synced;

    /// <summary>
    /// False while persistence is stopped because the disk refused it (EventId 6010) until a
    /// recovery snapshot succeeds (6011): the node serves from memory, changes are not saved.
    /// </summary>
    public bool IsPersistent => _log.IsPersistent;

    /// <summary>Bytes of changes waiting in memory for the disk (at most <see cref="PersistenceOptions.MaxPendingBytes"/>).</summary>
    public long PendingBytes => _log.PendingBytes;

    /// <summary>The last write or fsync error ("file: message"), or null.</summary>
    public string? LastError => _log.LastError;

    /// <summary>When the log was last fsynced (or opened, before its first fsync).</summary>
    public DateTimeOffset LastSyncAt => _log.LastSyncAt;

    /// <summary>Bytes written to the change logs since the last snapshot.</summary>
    public long LogBytes => _log.BytesSinceSnapshot;

    /// <inheritdoc />
    long IOutputGate.Position => _log.Appended;

    /// <summary>
    /// Opens <see cref="PersistenceOptions.DataDirectory"/> for these tables: takes the directory
    /// lock, loads it, cuts a torn last record off, starts a new log generation and starts logging.
    /// Throws <see cref="PersistenceException"/> with a sentence for the operator on any problem.
    /// </summary>
    public static NodePersistence Open(PersistenceOptions options, IReadOnlyList<StickTable> tables, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var directory = Path.GetFullPath(options.DataDirectory);
        var lockFile = LockDirectory(directory);
        try
        {
            var started = time.GetTimestamp();
            var report = new PersistenceLoader(tables.ToDictionary(t => t.Name, StringComparer.Ordinal), time, logger).Load(directory);
            var log = Prepare(directory, report, options, time, logger);
            var entries = tables.Sum(t => t.Count);
            var elapsedMs = (long)time.GetElapsedTime(started).TotalMilliseconds;
            PersistenceLog.Loaded(logger, directory, entries, report.RestoredTables.Count, report.HadSnapshot ? "snapshot" : "no snapshot", report.LogFiles, report.Records, report.ExpiredWhileDown, elapsedMs);
            var persistence = new NodePersistence(options with { DataDirectory = directory }, tables, time, logger, lockFile, log, report);
            foreach (var table in tables)
            {
                table.Observer = persistence;
            }

            log.Start();
            return persistence;
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Completes once every change made so far is as durable as the policy promises: synced to disk
    /// with <see cref="FsyncMode.Always"/>, otherwise handed to the kernel (it then survives a crash
    /// of this process; a power failure is what the fsync interval is about).
    /// </summary>
    public ValueTask WaitDurableAsync(CancellationToken cancellationToken = default) =>
        ((IOutputGate)this).WaitAsync(_log.Appended, cancellationToken);

    /// <inheritdoc />
    ValueTask IOutputGate.WaitAsync(long position, CancellationToken cancellationToken) =>
        _options.Fsync == FsyncMode.Always ? _log.WaitSyncedAsync(position, cancellationToken) : _log.WaitWrittenAsync(position, cancellationToken);

    /// <summary>Forces every change made so far to disk, whatever the policy.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _log.FlushAsync(cancellationToken);

    /// <summary>Writes a snapshot now (and removes the logs it covers); returns when done.</summary>
    public Task SnapshotAsync() => StartSnapshotAsync(force: true);

    /// <inheritdoc />
    void IStickTableObserver.OnEntryChanged(StickTable table, ReadOnlySpan<byte> key, EntryValues values, uint expireMs)
    {
        if (table.ExpireMs != 0 && expireMs == 0)
        {
            expireMs = 1; // a table with an expire never holds an eternal entry: 0 here means "due now"
        }

        _log.Append(table, key, values, expireMs);
    }

    /// <inheritdoc />
    void IStickTableObserver.OnEntryRemoved(StickTable table, ReadOnlySpan<byte> key) => _log.AppendRemove(table, key);

    /// <summary>Stops logging (the tables keep working), syncs what is pending and releases the directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var table in _tables)
        {
            table.Observer = null;
        }

        await _stop.CancelAsync();
        Task last;
        lock (_snapshotGate)
        {
            last = _snapshot; // final: a snapshot or recovery is only started under this lock before the cancel
        }

        try
        {
            await last;
        }
        catch (OperationCanceledException)
        {
            // Interrupted snapshot: its temp file is ignored and replaced next time.
        }

        await _log.DisposeAsync();
        await _lock.DisposeAsync();
        _stop.Dispose();
    }

    private static FileStream LockDirectory(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PersistenceException($"data directory {directory}: cannot create it: {ex.Message}", ex);
        }

        var path = Path.Combine(directory, DataDirectory.LockName);
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix: a second process fails here.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new PersistenceException($"data directory {directory}: not writable ({ex.Message})", ex);
        }
        catch (IOException ex) when (ex.HResult is LockedErrno or SharingViolation)
        {
            throw new PersistenceException($"data directory {directory}: cannot lock {path}: {ex.Message} (is another stickpeer using it?)", ex);
        }
        catch (IOException ex)
        {
            throw new PersistenceException($"data directory {directory}: not writable ({ex.Message})", ex);
        }
    }

    private static ChangeLog Prepare(string directory, LoadReport report, PersistenceOptions options, TimeProvider time, ILogger logger)
    {
        try
        {
            if (report.TornTail is { } torn)
            {
                // Cut before the next generation is started: a torn record must only ever be at the very end.
                PersistenceLog.TornTail(logger, torn.Path, torn.Offset, torn.Problem);
                using (var f = new FileStream(torn.Path, FileMode.Open, FileAccess.Write, FileShare.None))
                {
                    f.SetLength(torn.ValidEnd);
                    f.Flush(flushToDisk: true);
                }

                if (torn.ValidEnd == 0)
                {
                    File.Delete(torn.Path);
                    DataDirectory.Sync(directory);
                }
            }

            foreach (var leftover in report.Leftovers)
            {
                File.Delete(leftover);
                PersistenceLog.LeftoverRemoved(logger, leftover);
            }

            var generation = Math.Max(report.LastGeneration + 1, report.SnapshotNextGeneration);
            var file = ChangeLog.CreateLogFile(directory, Math.Max(generation, 1));
            return new ChangeLog(directory, file, Math.Max(generation, 1), options, time, logger);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PersistenceException($"data directory {directory}: cannot write: {ex.Message} (a full disk or a read-only file system?); no existing file was changed", ex);
        }
    }

    private Task StartSnapshotAsync(bool force)
    {
        lock (_snapshotGate)
        {
            if (!_snapshot.IsCompleted || _stop.IsCancellationRequested)
            {
                return force ? _snapshot : Task.CompletedTask;
            }

            if (!force && _log.BytesSinceSnapshot <= Math.Max(_options.SnapshotLogBytes, Volatile.Read(ref _lastSnapshotBytes)))
            {
                return Task.CompletedTask;
            }

            _snapshot = Task.Run(WriteSnapshotAsync);
            return _snapshot;
        }
    }

    private async Task WriteSnapshotAsync()
    {
        var started = _time.GetTimestamp();
        try
        {
            var epoch = _log.Epoch;
            if (_log.Rotate() is not { } generation)
            {
                return; // persistence is stopped: the recovery writes the next snapshot
            }

            await _log.FlushAsync(_stop.Token);
            if (_log.Epoch != epoch)
            {
                return; // stopped while flushing: the old generation is not complete, so neither would this snapshot be
            }

            if (SnapshotWriter.Write(_options.DataDirectory, generation, _tables, _time, () => _log.Epoch == epoch, _stop.Token) is not { } written)
            {
                return; // stopped during the walk
            }

            var (entries, bytes) = written;
            SnapshotWriter.RemoveOlderLogs(_options.DataDirectory, generation);
            Volatile.Write(ref _lastSnapshotBytes, bytes);
            var elapsedMs = (long)_time.GetElapsedTime(started).TotalMilliseconds;
            PersistenceLog.SnapshotWritten(_logger, entries, bytes, elapsedMs, generation);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            PersistenceLog.SnapshotFailed(_logger, ex.Message);
        }
    }

    // Called by the flusher while persistence is stopped: one recovery attempt at a time, never beside a snapshot.
    private void StartRecovery()
    {
        lock (_snapshotGate)
        {
            if (_snapshot.IsCompleted && !_stop.IsCancellationRequested)
            {
                _snapshot = Task.Run(Recover);
            }
        }
    }

    /// <summary>
    /// Brings a stopped persistence back: changes are kept again for a new log generation, a full
    /// snapshot naming it is written (its temp file is removed if the disk is still full), the logs
    /// before it are removed, and only then does the log resume. The directory is whole again
    /// from that point on; until then it holds what was written before the stop.
    /// </summary>
    private void Recover()
    {
        if (_log.BeginRecovery() is not { } generation)
        {
            return;
        }

        try
        {
            if (SnapshotWriter.Write(_options.DataDirectory, generation, _tables, _time, () => _log.IsRecovering(generation), _stop.Token) is not { } written)
            {
                return; // stopped again during the walk (too many changes waited): the next attempt follows
            }

            var (entries, bytes) = written;
            SnapshotWriter.RemoveOlderLogs(_options.DataDirectory, generation);
            Volatile.Write(ref _lastSnapshotBytes, bytes);
            if (_log.Resume(generation))
            {
                PersistenceLog.Resumed(_logger, _options.DataDirectory, entries, bytes);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.AbortRecovery(generation, ex.Message);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
