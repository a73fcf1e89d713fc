// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Microsoft.Extensions.Logging;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Node.Persistence;

/// <summary>
/// The append-only change log. <see cref="Append"/> encodes a record into a memory buffer under
/// a short lock (it is called by tables under their shard locks); one flusher task writes the
/// buffer to the current log file and calls fsync as the policy says, so concurrent changes
/// share one write and one fsync (group commit). Positions count records: a change appended
/// at position p is on disk once <see cref="Synced"/> ≥ p.
/// </summary>
internal sealed partial class ChangeLog : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly RecordEncoder _encoder = new();
    private readonly Dictionary<StickTable, int> _declared = new(ReferenceEqualityComparer.Instance);
    private readonly string _directory;
    private readonly PersistenceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private ArrayBufferWriter<byte> _pending = new(64 * 1024);
    private ArrayBufferWriter<byte> _spare = new(64 * 1024);
    private ArrayBufferWriter<byte>? _sealed;
    private ulong _sealedGeneration;
    private ulong _generation;
    private long _appended;
    private int _wakePending;
    private long _syncRequested;
    private volatile LogState _state;
    private long _epoch;
    private long _inFlightBytes;

    // Flusher-only state.
    private FileStream? _file;
    private ulong _fileGeneration;
    private DateTimeOffset _lastSync;
    private long _bytesSinceSnapshot;
    private DateTimeOffset? _nextRecovery;

    // Published progress.
    private long _written;
    private long _synced;
    private TaskCompletionSource _progress = NewProgress();
    private Task _flusher = Task.CompletedTask;

    /// <summary>Takes over <paramref name="file"/>, the freshly created log of <paramref name="generation"/> (header written and synced).</summary>
    public ChangeLog(string directory, FileStream file, ulong generation, PersistenceOptions options, TimeProvider time, ILogger logger)
    {
        _directory = directory;
        _file = file;
        _fileGeneration = _generation = generation;
        _options = options;
        _time = time;
        _logger = logger;
        _lastSync = time.GetUtcNow();
        PublishSync(_lastSync);
    }

    /// <summary>Called on the flusher when the logs since the last snapshot outgrew the threshold.</summary>
    public Action? SnapshotDue { get; set; }

    /// <summary>Records appended so far.</summary>
    public long Appended => Volatile.Read(ref _appended);

    /// <summary>Records handed to the operating system (survive a crash of this process).</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>Records forced to stable storage (survive a power cut).</summary>
    public long Synced => Volatile.Read(ref _synced);

    /// <summary>Log bytes written since the last snapshot (or start).</summary>
    public long BytesSinceSnapshot => Volatile.Read(ref _bytesSinceSnapshot);

    /// <summary>Called on the flusher, every <see cref="PersistenceOptions.RecoveryInterval"/>, while persistence is stopped.</summary>
    public Action? RecoveryDue { get; set; }

    /// <summary>Starts the flusher.</summary>
    public void Start() => _flusher = Task.Run(FlushLoopAsync);

    /// <summary>Appends an entry's content (called under the entry's shard lock).</summary>
    public void Append(StickTable table, ReadOnlySpan<byte> key, EntryValues values, uint expireMs)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var expireAt = expireMs == 0 ? 0 : now + expireMs;
        lock (_gate)
        {
            _appended++;
            if (_state == LogState.Stopped)
            {
                return; // not persistent: nothing is kept (docs/persistence.md, "Full disk while running")
            }

            var id = Declare(table);
            _encoder.WriteUpsert(_pending, id, now, expireAt, key, values);
            CheckBoundLocked();
        }

        Wake();
    }

    /// <summary>Appends a removal (called under the entry's shard lock).</summary>
    public void AppendRemove(StickTable table, ReadOnlySpan<byte> key)
    {
        lock (_gate)
        {
            _appended++;
            if (_state == LogState.Stopped)
            {
                return;
            }

            var id = Declare(table);
            _encoder.WriteRemove(_pending, id, key);
            CheckBoundLocked();
        }

        Wake();
    }

    /// <summary>
    /// Starts a new log generation: every record appended from now on goes to the new file.
    /// Returns the new generation, or null while persistence is stopped. The caller (the snapshot)
    /// then waits with <see cref="FlushAsync"/>.
    /// </summary>
    public ulong? Rotate()
    {
        lock (_gate)
        {
            if (_state != LogState.Healthy)
            {
                return null;
            }

            if (_sealed is not null)
            {
                throw new InvalidOperationException("a rotation is still being written");
            }

            _sealed = _pending;
            _sealedGeneration = _generation;
            _pending = new ArrayBufferWriter<byte>(64 * 1024);
            _generation++;
            _declared.Clear();
            Interlocked.Exchange(ref _bytesSinceSnapshot, 0);
            return _generation;
        }
    }

    /// <summary>Writes and syncs what is pending, then closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await FlushAsync().WaitAsync(TimeSpan.FromSeconds(10), _time);
        }
        catch (Exception ex) when (ex is TimeoutException or ObjectDisposedException)
        {
            // The disk does not take writes (logged by the flusher): what is pending is lost.
        }

        await _stop.CancelAsync();
        Wake(force: true);
        await _flusher;
        _file?.Dispose();
        _file = null;
        Volatile.Read(ref _progress).TrySetResult();
        PersistenceLog.Closed(_logger, _directory, Appended);
        _stop.Dispose();
    }

    private int Declare(StickTable table)
    {
        if (_declared.TryGetValue(table, out var id))
        {
            return id;
        }

        id = _declared.Count + 1;
        _declared[table] = id;
        _encoder.WriteTable(_pending, id, table.Name, table.Schema);
        return id;
    }

    private void Wake(bool force = false)
    {
        if (force || Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            _wake.Release();
        }
    }

    private async Task FlushLoopAsync()
    {
        while (true)
        {
            var stopping = _stop.IsCancellationRequested;
            if (!stopping)
            {
                await WaitForWorkAsync();
            }

            Volatile.Write(ref _wakePending, 0);
            ArrayBufferWriter<byte>? sealedBytes;
            ArrayBufferWriter<byte> pending;
            ulong sealedGeneration, generation;
            long position, epoch;
            var state = _state;
            if (state != LogState.Healthy)
            {
                _failingSince = null;
                if (stopping)
                {
                    return;
                }

                DueRecovery(state);
                continue; // stopped, or recovering: the recovery snapshot decides when writing resumes
            }

            lock (_gate)
            {
                if (_state != LogState.Healthy)
                {
                    continue;
                }

                (sealedBytes, _sealed, sealedGeneration) = (_sealed, null, _sealedGeneration);
                (pending, _pending, _spare) = (_pending, _spare, _pending);
                generation = _generation;
                position = _appended;
                epoch = _epoch;
                _inFlightBytes = pending.WrittenCount + (sealedBytes?.WrittenCount ?? 0);
            }

            var ok = true;
            if (sealedBytes is not null)
            {
                ok = await WriteAsync(sealedGeneration, sealedBytes.WrittenMemory, epoch) && await SyncAsync(epoch);
            }

            ok = ok && await WriteAsync(generation, pending.WrittenMemory, epoch);
            pending.ResetWrittenCount();
            lock (_gate)
            {
                _inFlightBytes = 0;
            }

            if (!ok)
            {
                if (_stop.IsCancellationRequested)
                {
                    return; // stopping while the disk refuses writes
                }

                continue; // persistence stopped meanwhile: these bytes are dropped
            }

            Volatile.Write(ref _written, position);
            Interlocked.Exchange(ref _progress, NewProgress()).TrySetResult(); // writers waiting for the kernel
            var now = _time.GetUtcNow();
            var syncDue = _options.Fsync == FsyncMode.Always
                || Volatile.Read(ref _syncRequested) > Synced
                || (_options.Fsync == FsyncMode.Every && Synced < position && now - _lastSync >= _options.FsyncInterval)
                || (stopping && Synced < position);
            if (syncDue && Synced < position)
            {
                if (!await SyncAsync(epoch))
                {
                    if (_stop.IsCancellationRequested)
                    {
                        return;
                    }

                    continue;
                }

                Volatile.Write(ref _synced, position);
                _lastSync = now;
                PublishSync(now);
            }

            Interlocked.Exchange(ref _progress, NewProgress()).TrySetResult();
            if (BytesSinceSnapshot > _options.SnapshotLogBytes)
            {
                SnapshotDue?.Invoke();
            }

            if (stopping)
            {
                return;
            }
        }
    }

    private async Task WaitForWorkAsync()
    {
        if (_state != LogState.Healthy)
        {
            await WaitWhileNotHealthyAsync();
            return;
        }

        // Every: data written but not synced must be synced within the interval even if nothing else comes.
        var unsynced = _options.Fsync == FsyncMode.Every && Synced < Written;
        if (!unsynced)
        {
            try
            {
                await _wake.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopping: one last pass.
            }

            return;
        }

        var left = _lastSync + _options.FsyncInterval - _time.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            return;
        }

        using var interval = new CancellationTokenSource(left, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, interval.Token);
        try
        {
            await _wake.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Interval over, or stopping.
        }
    }
}
