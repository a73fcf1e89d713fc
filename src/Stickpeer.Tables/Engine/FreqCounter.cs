// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Tables.Engine;

/// <summary>
/// HAProxy's period-based frequency counter (spec §4.7) on its wrapping 32-bit millisecond
/// clock: a current-period start tick, the events of the current period and those of the
/// previous period. All arithmetic is modulo 2^32 like HAProxy's <c>now_ms</c>.
/// </summary>
public static class FreqCounter
{
    /// <summary>
    /// Adds <paramref name="amount"/> events at <paramref name="now"/>, rotating the periods
    /// when the current one is over (and resetting both when two or more periods were missed).
    /// </summary>
    /// <param name="tick">Start of the current period (0 for a never-used counter).</param>
    /// <param name="current">Events in the current period.</param>
    /// <param name="previous">Events in the previous period.</param>
    /// <param name="now">The current millisecond tick.</param>
    /// <param name="period">The period in milliseconds (greater than 0).</param>
    /// <param name="amount">Events to add.</param>
    public static void Add(ref uint tick, ref uint current, ref uint previous, uint now, uint period, uint amount)
    {
        if (now - tick < period)
        {
            current += amount;
            return;
        }

        previous = current;
        current = amount;
        var t = tick + period;
        if (now - t >= period)
        {
            previous = 0;
            t = now;
        }

        tick = t & ~1u;
    }

    /// <summary>
    /// The rate HAProxy reports (<c>show table</c>, ACLs) for a counter whose current period
    /// started <paramref name="ageMs"/> milliseconds ago, including the anti-flapping rule.
    /// </summary>
    /// <param name="ageMs">now − tick, modulo 2^32.</param>
    /// <param name="current">Events in the current period.</param>
    /// <param name="previous">Events in the previous period.</param>
    /// <param name="period">The period in milliseconds.</param>
    public static uint ReadAtAge(uint ageMs, uint current, uint previous, uint period)
    {
        if (period == 0)
        {
            return 0;
        }

        // remain = tick + period - now, interpreted as a signed 32-bit quantity.
        var remain = period - ageMs;
        ulong past = previous;
        ulong curr = current;
        if ((int)remain < 0)
        {
            remain += period;
            past = (int)remain < 0 ? 0 : curr;
            curr = 0;
        }

        if (curr == 0 && past <= 1)
        {
            return (uint)past;
        }

        return (uint)(((past * remain) + (curr * period)) / period);
    }

    /// <summary>The rate at <paramref name="now"/> for a counter started at <paramref name="tick"/>.</summary>
    public static uint Read(uint tick, uint current, uint previous, uint now, uint period) =>
        ReadAtAge(now - tick, current, previous, period);
}
