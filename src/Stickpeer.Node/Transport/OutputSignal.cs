// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Transport;

/// <summary>
/// Wakes a connection's write loop: <see cref="Set"/> from any thread (node calls, under the host's
/// lock), <see cref="WaitAsync"/> from the loop. Several sets before a wait count once. The waiter
/// resumes asynchronously, on the synchronization context it awaited on (the thread pool when there
/// is none): never inline under the lock, and never on a thread the host was not given (a
/// <see cref="SemaphoreSlim"/> wait with a token resumes on the thread pool, which a deterministic
/// run of the host cannot allow).
/// </summary>
internal sealed class OutputSignal
{
    private readonly Lock _lock = new();
    private TaskCompletionSource? _waiter;
    private bool _set;

    public void Set()
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            waiter = _waiter;
            _waiter = null;
            _set = waiter is null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>Completes at the next <see cref="Set"/> (at once if one came since the last wait).</summary>
    public Task WaitAsync()
    {
        lock (_lock)
        {
            if (_set)
            {
                _set = false;
                return Task.CompletedTask;
            }

            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task;
        }
    }
}
