// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.TestKit.Haproxy;

namespace Stickpeer.Interop.Tests;

/// <summary>
/// The first call of every interop test: skips when the HAProxy binary is absent, and
/// otherwise prints which binary and version the test runs against, so a CI log tells the
/// 2.6 run from the 3.0 run.
/// </summary>
internal static class HaproxyUnderTest
{
    public static void RequireOrSkip()
    {
        if (!HaproxyAvailability.IsInstalled)
        {
            Assert.Skip(HaproxyAvailability.SkipReason);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(HaproxyAvailability.Describe());
    }
}
