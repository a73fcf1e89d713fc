// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Interop.Tests.Verification;

/// <summary>
/// The rate HAProxy prints for a frequency counter (own implementation of the read rule in
/// the protocol reference §4.7), used to bound what <c>show table</c> may print for a
/// counter decoded from the wire some time earlier.
/// </summary>
internal static class FrequencyCounterMath
{
    public static ulong Rate(ulong ageMs, ulong current, ulong previous, ulong periodMs)
    {
        if (ageMs <= periodMs)
        {
            if (current == 0 && previous <= 1)
            {
                return previous;
            }

            return ((previous * (periodMs - ageMs)) + (current * periodMs)) / periodMs;
        }

        if (ageMs <= 2 * periodMs)
        {
            return current <= 1 ? current : current * ((2 * periodMs) - ageMs) / periodMs;
        }

        return 0;
    }

    /// <summary>The rate is non-increasing in age, so a read between two ages lies between their rates.</summary>
    public static (ulong Min, ulong Max) Bounds(ulong minAgeMs, ulong maxAgeMs, ulong current, ulong previous, ulong periodMs) =>
        (Rate(maxAgeMs, current, previous, periodMs), Rate(minAgeMs, current, previous, periodMs));
}
