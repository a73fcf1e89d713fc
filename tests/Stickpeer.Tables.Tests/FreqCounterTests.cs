// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Tables.Engine;

namespace Stickpeer.Tables.Tests;

public class FreqCounterTests
{
    [Theory]
    [InlineData(1500u, 1u, 0u, 10000u, 1u)] // spec example
    [InlineData(0u, 7u, 0u, 10000u, 7u)]
    [InlineData(5000u, 10u, 20u, 10000u, 20u)] // 20*5000/10000 + 10
    [InlineData(10000u, 10u, 20u, 10000u, 10u)] // age = P: remain 0
    [InlineData(15000u, 10u, 20u, 10000u, 5u)] // P<age<=2P: 10*5000/10000
    [InlineData(15000u, 1u, 20u, 10000u, 1u)] // anti-flapping in 2nd period: curr<=1 shown as is
    [InlineData(20000u, 1u, 0u, 10000u, 1u)] // age = 2P, curr=1 -> 1 (flapping rule)
    [InlineData(20001u, 5u, 9u, 10000u, 0u)] // beyond 2P
    [InlineData(3000u, 0u, 1u, 10000u, 1u)] // curr 0, prev 1 -> prev (no decay)
    [InlineData(3000u, 0u, 2u, 10000u, 1u)] // 2*7000/10000 = 1
    public void ReadAtAge_KnownInputs_MatchHaproxyFormula(uint age, uint curr, uint prev, uint period, uint expected)
    {
        Assert.Equal(expected, FreqCounter.ReadAtAge(age, curr, prev, period));
    }

    [Fact]
    public void Add_WithinPeriod_AddsToCurrent()
    {
        uint tick = 1000, curr = 3, prev = 4;
        FreqCounter.Add(ref tick, ref curr, ref prev, 1500, 1000, 2);
        Assert.Equal((1000u, 5u, 4u), (tick, curr, prev));
    }

    [Fact]
    public void Add_NextPeriod_RotatesByOnePeriod()
    {
        uint tick = 1000, curr = 3, prev = 4;
        FreqCounter.Add(ref tick, ref curr, ref prev, 2500, 1000, 1);
        Assert.Equal((2000u, 1u, 3u), (tick, curr, prev));
    }

    [Fact]
    public void Add_TwoPeriodsMissed_ResetsToNow()
    {
        uint tick = 1000, curr = 3, prev = 4;
        FreqCounter.Add(ref tick, ref curr, ref prev, 3001, 1000, 1);
        Assert.Equal((3000u, 1u, 0u), (tick, curr, prev)); // now=3001 with bit 0 cleared
    }

    [Fact]
    public void Add_AcrossClockWrap_StaysWithinPeriod()
    {
        uint tick = uint.MaxValue - 99, curr = 1, prev = 0;
        FreqCounter.Add(ref tick, ref curr, ref prev, 200, 1000, 1); // 300 ms later, past the wrap
        Assert.Equal((uint.MaxValue - 99, 2u, 0u), (tick, curr, prev));
        Assert.Equal(2u, FreqCounter.Read(tick, curr, prev, 200, 1000));
    }

    [Fact]
    public void Add_NeverUsedCounter_StartsFresh()
    {
        uint tick = 0, curr = 0, prev = 0;
        FreqCounter.Add(ref tick, ref curr, ref prev, 123457, 10000, 1);
        Assert.Equal((123456u, 1u, 0u), (tick, curr, prev));
    }
}
