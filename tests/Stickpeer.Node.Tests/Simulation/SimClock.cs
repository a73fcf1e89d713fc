// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// The simulation's virtual clock: a <see cref="TimeProvider"/> that moves only when the
/// scheduler advances it. Every node, session and table reads it constantly, so reads are a
/// field load (FakeTimeProvider takes a lock and checks its timers on every read, which
/// cost about a third of a run). It refuses timers: a timer would fire on the thread pool,
/// outside the simulation's event order, and break replay from a seed.
/// </summary>
internal sealed class SimClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => new(_ticks, TimeSpan.Zero);

    public override long GetTimestamp() => _ticks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        throw new NotSupportedException("timers are not part of the simulation: nodes are driven by Tick() on the virtual clock");

    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        _ticks += delta.Ticks;
    }
}
