// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Tables.Engine;

/// <summary>
/// A wrapping 32-bit millisecond clock like HAProxy's <c>now_ms</c>, derived from a
/// <see cref="TimeProvider"/>'s monotonic timestamp. It starts at the provider's wall-clock
/// milliseconds (truncated to 32 bits) plus an optional offset, so wrap-around can be tested.
/// </summary>
public sealed class TableClock
{
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly uint _startMs;
    private readonly long _frequency;
    private readonly long _ticksPerMs;

    /// <summary>Creates a clock.</summary>
    /// <param name="time">The time source.</param>
    /// <param name="offsetMs">Added to the starting value (tests use it to start near the wrap).</param>
    public TableClock(TimeProvider time, uint offsetMs = 0)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _frequency = time.TimestampFrequency;
        _ticksPerMs = _frequency % 1000 == 0 ? _frequency / 1000 : 0;
        _startTimestamp = time.GetTimestamp();
        _startMs = unchecked((uint)time.GetUtcNow().ToUnixTimeMilliseconds() + offsetMs);
    }

    /// <summary>The underlying time provider.</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>The current tick in milliseconds, wrapping at 2^32.</summary>
    public uint NowMs
    {
        get
        {
            var elapsed = _time.GetTimestamp() - _startTimestamp;
            var ms = _ticksPerMs != 0 ? elapsed / _ticksPerMs : (long)(elapsed * (1000.0 / _frequency));
            return unchecked(_startMs + (uint)ms);
        }
    }

    /// <summary>HAProxy's <c>tick_add</c>: now + delay, never 0 (0 means "no expiry").</summary>
    public static uint AddTicks(uint now, uint delay)
    {
        var t = unchecked(now + delay);
        return t == 0 ? 1 : t;
    }
}
