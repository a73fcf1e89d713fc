// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.TestKit.Transport;

/// <summary>
/// A single-threaded <see cref="SynchronizationContext"/> for running <see cref="Stickpeer.Node.Transport.NodeHost"/>s
/// deterministically: every continuation the hosts post is queued here and run, in order, by
/// <see cref="RunUntilIdle"/> on the caller's thread. With a virtual clock (timers fire when the test
/// moves it) the same inputs give the same order of every node call. A post from another thread
/// means something escaped to the thread pool: <see cref="RunUntilIdle"/> then throws.
/// </summary>
public sealed class DeterministicContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly Lock _lock = new();
    private int _owner = Environment.CurrentManagedThreadId;
    private string? _foreignPost;

    /// <summary>Continuations run so far.</summary>
    public long Executed { get; private set; }

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_lock)
        {
            if (Environment.CurrentManagedThreadId != _owner)
            {
                _foreignPost ??= $"a continuation was posted from thread {Environment.CurrentManagedThreadId}, not the run's thread {_owner}:{Environment.NewLine}{Environment.StackTrace}";
            }

            _queue.Enqueue((d, state));
        }
    }

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("the deterministic context runs posted work only");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Installs this context on the current thread (which becomes the run's thread) until disposed.</summary>
    public Scope Enter()
    {
        var previous = Current;
        _owner = Environment.CurrentManagedThreadId;
        SetSynchronizationContext(this);
        return new Scope(previous);
    }

    /// <summary>Runs queued continuations (and those they queue) until none is left; false when <paramref name="maxSteps"/> ran out first.</summary>
    public bool RunUntilIdle(int maxSteps = 1_000_000)
    {
        using var scope = Enter();
        for (var i = 0; i < maxSteps; i++)
        {
            (SendOrPostCallback Callback, object? State) next;
            lock (_lock)
            {
                if (_foreignPost is { } foreign)
                {
                    throw new InvalidOperationException(foreign);
                }

                if (!_queue.TryDequeue(out next))
                {
                    return true;
                }
            }

            Executed++;
            next.Callback(next.State);
        }

        return false;
    }

    /// <summary>Restores the previous context.</summary>
    public readonly struct Scope(SynchronizationContext? previous) : IDisposable
    {
        public void Dispose() => SetSynchronizationContext(previous);
    }
}
