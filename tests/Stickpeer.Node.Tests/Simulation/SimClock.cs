// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// The simulation's virtual clock: a <see cref="TimeProvider"/> that moves only when the
/// scheduler advances it. Every node, session and table reads it constantly, so reads are a
/// field load (FakeTimeProvider takes a lock and checks its timers on every read, which
/// cost about a third of a run). Its timers are events of the <see cref="VirtualScheduler"/>
/// (the host's tick is one), so they fire in the simulation's event order, on its thread.
/// </summary>
internal sealed class SimClock(DateTimeOffset start, VirtualScheduler scheduler) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => new(_ticks, TimeSpan.Zero);

    public override long GetTimestamp() => _ticks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new SimTimer(scheduler, callback, state, dueTime, period, alive: null);

    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        _ticks += delta.Ticks;
    }
}

/// <summary>
/// One process incarnation's view of the <see cref="SimClock"/>: the same time, but its timers stop
/// firing once the incarnation is dead (a crashed process's timers die with it: the host is frozen,
/// never stopped).
/// </summary>
internal sealed class SimProcessClock(SimClock clock, VirtualScheduler scheduler, Func<bool> alive) : TimeProvider
{
    public override long TimestampFrequency => clock.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override long GetTimestamp() => clock.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new SimTimer(scheduler, callback, state, dueTime, period, alive);
}

/// <summary>A timer on the <see cref="VirtualScheduler"/>: whole virtual milliseconds, rounded up.</summary>
internal sealed class SimTimer : ITimer
{
    private readonly VirtualScheduler _scheduler;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private readonly Func<bool>? _alive;
    private long _version;
    private long _periodMs = -1;

    public SimTimer(VirtualScheduler scheduler, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period, Func<bool>? alive)
    {
        _scheduler = scheduler;
        _callback = callback;
        _state = state;
        _alive = alive;
        Change(dueTime, period);
    }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        var version = ++_version;
        _periodMs = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? -1 : ToMs(period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _scheduler.After(ToMs(dueTime), () => Fire(version));
        }

        return true;
    }

    public void Dispose() => _version++;

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static long ToMs(TimeSpan t) => Math.Max(0, (t.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond);

    private void Fire(long version)
    {
        if (version != _version || _alive?.Invoke() == false)
        {
            return;
        }

        if (_periodMs > 0)
        {
            _scheduler.After(_periodMs, () => Fire(version));
        }

        _callback(_state);
    }
}
