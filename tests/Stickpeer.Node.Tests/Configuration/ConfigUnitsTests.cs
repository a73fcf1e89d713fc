// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Configuration;

namespace Stickpeer.Node.Tests.Configuration;

public sealed class ConfigUnitsTests
{
    [Theory]
    [InlineData("100", 100)]
    [InlineData("100ms", 100)]
    [InlineData("2500us", 2)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1d", 86_400_000)]
    public void TryParseMilliseconds_WithUnit_Converts(string text, long expected)
    {
        Assert.True(ConfigUnits.TryParseMilliseconds(text, out var ms));
        Assert.Equal(expected, ms);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("10x")]
    [InlineData("-5s")]
    [InlineData("1.5s")]
    [InlineData("99999999999999999999d")]
    public void TryParseMilliseconds_Invalid_ReturnsFalse(string text)
    {
        Assert.False(ConfigUnits.TryParseMilliseconds(text, out _));
    }

    [Theory]
    [InlineData("1024", 1024)]
    [InlineData("100k", 102_400)]
    [InlineData("1m", 1_048_576)]
    [InlineData("2g", 2_147_483_648)]
    public void TryParseSize_WithSuffix_UsesPowersOf1024(string text, long expected)
    {
        Assert.True(ConfigUnits.TryParseSize(text, out var size));
        Assert.Equal(expected, size);
    }

    [Theory]
    [InlineData("")]
    [InlineData("k")]
    [InlineData("10t")]
    [InlineData("1kb")]
    public void TryParseSize_Invalid_ReturnsFalse(string text)
    {
        Assert.False(ConfigUnits.TryParseSize(text, out _));
    }
}
