// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;

namespace Stickpeer.Node.Persistence;

/// <summary>
/// What the log does when the disk refuses it at run time (docs/persistence.md, "Full disk while
/// running"): a failing write is retried for <see cref="PersistenceOptions.WriteFailureTimeout"/>,
/// and at most <see cref="PersistenceOptions.MaxPendingBytes"/> wait in memory. Beyond either,
/// persistence stops: the pending bytes are dropped, appends keep nothing and the output gate
/// opens, so peers and the CLI are served from memory. A full snapshot written later (by
/// <see cref="NodePersistence"/>) makes the directory whole again and resumes the log.
/// </summary>
internal sealed partial class ChangeLog
{
    // Flusher-only: since when writes fail (null while they work), and the last error.
    private DateTimeOffset? _failingSince;
    private volatile string? _lastError;

    /// <summary>False while persistence is stopped or recovering: changes are not (all) on disk and output does not wait for them.</summary>
    public bool IsPersistent => _state == LogState.Healthy;

    /// <summary>Bumped each time persistence stops: a snapshot started before must not claim to cover the changes dropped since.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>The last write or fsync error, as "file: message" (null if none yet).</summary>
    public string? LastError => _lastError;

    /// <summary>Bytes of encoded changes in memory that are not written yet (bounded by <see cref="PersistenceOptions.MaxPendingBytes"/>).</summary>
    public long PendingBytes
    {
        get
        {
            lock (_gate)
            {
                return PendingBytesLocked();
            }
        }
    }

    /// <summary>Stopped → recovering: changes are kept again (for the log generation returned) while the caller writes a full snapshot naming it. Null if not stopped.</summary>
    public ulong? BeginRecovery()
    {
        lock (_gate)
        {
            if (_state != LogState.Stopped)
            {
                return null;
            }

            _state = LogState.Recovering;
            _generation++;
            _declared.Clear();
            _pending.ResetWrittenCount();
            return _generation;
        }
    }

    /// <summary>True while the recovery towards <paramref name="generation"/> is still going (not stopped again).</summary>
    public bool IsRecovering(ulong generation)
    {
        lock (_gate)
        {
            return _state == LogState.Recovering && _generation == generation;
        }
    }

    /// <summary>The snapshot naming <paramref name="generation"/> is in place: write the changes kept since, and wait for the disk again. False if persistence stopped again meanwhile.</summary>
    public bool Resume(ulong generation)
    {
        lock (_gate)
        {
            if (_state != LogState.Recovering || _generation != generation)
            {
                return false;
            }

            _state = LogState.Healthy;
            Interlocked.Exchange(ref _bytesSinceSnapshot, 0);
        }

        Wake(force: true);
        return true;
    }

    /// <summary>The recovery snapshot failed: back to stopped (quietly; the stop was logged once).</summary>
    public void AbortRecovery(ulong generation, string error)
    {
        _lastError = error;
        lock (_gate)
        {
            if (_state == LogState.Recovering && _generation == generation)
            {
                StopLocked("the recovery snapshot failed");
            }
        }
    }

    private long PendingBytesLocked() => _pending.WrittenCount + (_sealed?.WrittenCount ?? 0) + _inFlightBytes;

    private void CheckBoundLocked()
    {
        var pending = PendingBytesLocked();
        if (pending > _options.MaxPendingBytes)
        {
            StopLocked($"{pending} bytes of changes waited for the disk (the limit is {_options.MaxPendingBytes})");
        }
    }

    private void StopLocked(string reason)
    {
        if (_state == LogState.Stopped)
        {
            return;
        }

        var announce = _state == LogState.Healthy;
        _state = LogState.Stopped;
        Interlocked.Increment(ref _epoch);

        // Fresh buffers: the grown ones go to the garbage collector (the flusher drops the one it holds).
        _pending = new ArrayBufferWriter<byte>(64 * 1024);
        _spare = new ArrayBufferWriter<byte>(64 * 1024);
        _sealed = null;
        _inFlightBytes = 0; // the flusher drops what it holds when its retry wakes (within a second)
        _declared.Clear();
        Interlocked.Exchange(ref _progress, NewProgress()).TrySetResult(); // release everyone waiting for the disk
        if (announce)
        {
            PersistenceLog.Stopped(_logger, _directory, reason, _lastError ?? "none", (long)_options.RecoveryInterval.TotalSeconds);
        }

        Wake(force: true);
    }

    /// <summary>False once the log stopped after <paramref name="epoch"/> began: what the flusher holds is dropped.</summary>
    private bool IsCurrent(long epoch) => _state == LogState.Healthy && Epoch == epoch;

    private void NoteFailure(string file, string error)
    {
        var now = _time.GetUtcNow();
        _lastError = $"{file}: {error}";
        if (_failingSince is null)
        {
            _failingSince = now;
            PersistenceLog.WriteFailed(_logger, file, error, (long)_options.WriteFailureTimeout.TotalMilliseconds, _options.MaxPendingBytes);
        }
        else if (now - _failingSince.Value >= _options.WriteFailureTimeout)
        {
            lock (_gate)
            {
                StopLocked($"writes failed for {(long)(now - _failingSince.Value).TotalMilliseconds} ms");
            }
        }
    }

    private void NoteSuccess(string file)
    {
        if (_failingSince is not null)
        {
            _failingSince = null;
            PersistenceLog.WriteRecovered(_logger, file);
        }
    }

    // Flusher, while not healthy: asks for a recovery attempt every RecoveryInterval, the first one
    // an interval after the stop (the disk was full a moment ago).
    private void DueRecovery(LogState state)
    {
        var now = _time.GetUtcNow();
        if (state != LogState.Stopped)
        {
            _nextRecovery = null;
        }
        else if (_nextRecovery is null)
        {
            _nextRecovery = now + _options.RecoveryInterval;
        }
        else if (now >= _nextRecovery)
        {
            _nextRecovery = now + _options.RecoveryInterval;
            RecoveryDue?.Invoke();
        }
    }

    // Appends do not wake a stopped log: wait for the next recovery attempt. Recovering: Resume or
    // AbortRecovery wakes the flusher.
    private async Task WaitWhileNotHealthyAsync()
    {
        var delay = _state == LogState.Recovering ? Timeout.InfiniteTimeSpan
            : _nextRecovery is { } next ? next - _time.GetUtcNow() : TimeSpan.Zero;
        if (delay <= TimeSpan.Zero && delay != Timeout.InfiniteTimeSpan)
        {
            return;
        }

        using var retry = new CancellationTokenSource(delay, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, retry.Token);
        try
        {
            await _wake.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            // Time for an attempt, or stopping.
        }
    }
}
