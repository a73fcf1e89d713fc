// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Interop.Tests.Verification;

/// <summary>
/// The rate HAProxy prints for a frequency counter (own implementation of the read rule in
/// the protocol reference §4.7), used to bound what <c>show table</c> may print for a
/// counter decoded from the wire some time earlier.
/// </summary>
internal static class FrequencyCounterMath
{
    /// <summary>
    /// The rate at a signed age. HAProxy compares ticks as signed 32-bit differences, and a
    /// counter set through the CLI can travel with an age of a few milliseconds below zero
    /// (the sending thread's clock is behind the one that stamped the counter): then more than
    /// a full period "remains" and the previous count weighs slightly more than 1.
    /// </summary>
    public static ulong Rate(long ageMs, ulong current, ulong previous, ulong periodMs)
    {
        if (ageMs <= (long)periodMs)
        {
            if (current == 0 && previous <= 1)
            {
                return previous;
            }

            var remain = (ulong)((long)periodMs - ageMs);
            return ((previous * remain) + (current * periodMs)) / periodMs;
        }

        if (ageMs <= 2 * (long)periodMs)
        {
            return current <= 1 ? current : current * (ulong)((2 * (long)periodMs) - ageMs) / periodMs;
        }

        return 0;
    }

    /// <summary>The rate is non-increasing in age, so a read between two ages lies between their rates.</summary>
    public static (ulong Min, ulong Max) Bounds(long minAgeMs, long maxAgeMs, ulong current, ulong previous, ulong periodMs) =>
        (Rate(maxAgeMs, current, previous, periodMs), Rate(minAgeMs, current, previous, periodMs));

    /// <summary>A wire age (sender now − period start, modulo 2^32) as the signed difference HAProxy uses.</summary>
    public static long SignedAge(uint wireAgeMs) => unchecked((int)wireAgeMs);
}
