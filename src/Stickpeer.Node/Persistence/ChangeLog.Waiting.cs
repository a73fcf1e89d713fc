// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Persistence;

/// <content>
/// Callers waiting for their changes: until a position is written (in the kernel: a crash of this
/// process keeps it) or synced (on disk), whatever the fsync policy.
/// </content>
internal sealed partial class ChangeLog
{
    /// <summary>Waits until every record appended before the call is forced to disk, whatever the policy.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var position = Appended;
        InterlockedMax(ref _syncRequested, position);
        Wake(force: true);
        await WaitSyncedAsync(position, cancellationToken);
    }

    /// <summary>Waits until <see cref="Synced"/> reaches <paramref name="position"/>.</summary>
    public ValueTask WaitSyncedAsync(long position, CancellationToken cancellationToken) =>
        Synced >= position ? ValueTask.CompletedTask : WaitAsync(synced: true, position, cancellationToken);

    /// <summary>Waits until <see cref="Written"/> reaches <paramref name="position"/> (the changes survive a crash of this process).</summary>
    public ValueTask WaitWrittenAsync(long position, CancellationToken cancellationToken) =>
        Written >= position ? ValueTask.CompletedTask : WaitAsync(synced: false, position, cancellationToken);

    private async ValueTask WaitAsync(bool synced, long position, CancellationToken cancellationToken)
    {
        while ((synced ? Synced : Written) < position)
        {
            var progress = Volatile.Read(ref _progress).Task;
            if ((synced ? Synced : Written) >= position || !IsPersistent)
            {
                return; // durable, or persistence stopped: nobody is held for a disk that is not used
            }

            if (_flusher.IsCompleted && _file is null)
            {
                throw new ObjectDisposedException(nameof(ChangeLog), "the change log is closed");
            }

            await progress.WaitAsync(cancellationToken);
        }
    }

    private static TaskCompletionSource NewProgress() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (current < value)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
