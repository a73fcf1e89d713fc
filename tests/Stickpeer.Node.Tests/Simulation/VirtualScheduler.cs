// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// Discrete-event scheduler over virtual milliseconds. Events at the same time run in the
/// order they were scheduled. Advancing moves the shared <see cref="SimClock"/>,
/// so every node and table of a simulation sees the same clock.
/// </summary>
internal sealed class VirtualScheduler
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly PriorityQueue<Action, (long At, long Seq)> _queue = new();
    private long _seq;

    public VirtualScheduler() => Time = new SimClock(Epoch, this);

    public SimClock Time { get; }

    public long NowMs { get; private set; }

    public int Pending => _queue.Count;

    public void At(long atMs, Action action) => _queue.Enqueue(action, (Math.Max(atMs, NowMs), _seq++));

    public void After(long delayMs, Action action) => At(NowMs + delayMs, action);

    /// <summary>Runs the next event due at or before <paramref name="untilMs"/>; false (clock moved to <paramref name="untilMs"/>) when none.</summary>
    public bool RunNext(long untilMs)
    {
        if (!_queue.TryPeek(out _, out var when) || when.At > untilMs)
        {
            MoveTo(untilMs);
            return false;
        }

        var action = _queue.Dequeue();
        MoveTo(when.At);
        action();
        return true;
    }

    private void MoveTo(long ms)
    {
        if (ms > NowMs)
        {
            Time.Advance(TimeSpan.FromMilliseconds(ms - NowMs));
            NowMs = ms;
        }
    }
}
