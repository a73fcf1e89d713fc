// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Time.Testing;
using Stickpeer.Node.Diagnostics;

namespace Stickpeer.Node.Tests.Transport;

public sealed class RepeatLimiterTests
{
    [Fact]
    public void FirstOccurrenceLogs_RepeatsWithinTheIntervalAreHeldBack_NextLineCountsThem()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(12_345));
        var limiter = new RepeatLimiter(TimeSpan.FromSeconds(10), time);

        Assert.True(limiter.ShouldLog(out var held));
        Assert.Equal(0, held);
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(limiter.ShouldLog(out _));
        time.Advance(TimeSpan.FromSeconds(5.999));
        Assert.False(limiter.ShouldLog(out _));

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(limiter.ShouldLog(out held));
        Assert.Equal(2, held);

        time.Advance(TimeSpan.FromHours(1));
        Assert.True(limiter.ShouldLog(out held));
        Assert.Equal(0, held);
    }
}
