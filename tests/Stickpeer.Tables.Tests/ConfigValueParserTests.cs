// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Tables.Declaration;

namespace Stickpeer.Tables.Tests;

public sealed class ConfigValueParserTests
{
    [Theory]
    [InlineData("100", 100)]
    [InlineData("100ms", 100)]
    [InlineData("2500us", 3)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1d", 86_400_000)]
    public void TryParseTimeMs_WithUnit_Converts(string text, long expected)
    {
        Assert.True(ConfigValueParser.TryParseTimeMs(text, out var ms, out var error), error);
        Assert.Equal(expected, ms);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("10x")]
    [InlineData("-5s")]
    [InlineData("1.5s")]
    [InlineData("25d")]
    [InlineData("99999999999999999999d")]
    public void TryParseTimeMs_Invalid_ReturnsError(string text)
    {
        Assert.False(ConfigValueParser.TryParseTimeMs(text, out _, out var error));
        Assert.Contains($"'{text}'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1024", 1024)]
    [InlineData("100k", 102_400)]
    [InlineData("1m", 1_048_576)]
    [InlineData("1G", 1_073_741_824)]
    public void TryParseSize_WithSuffix_UsesPowersOf1024(string text, long expected)
    {
        Assert.True(ConfigValueParser.TryParseSize(text, out var size, out var error), error);
        Assert.Equal(expected, size);
    }

    [Theory]
    [InlineData("")]
    [InlineData("k")]
    [InlineData("10t")]
    [InlineData("1kb")]
    [InlineData("2g")]
    public void TryParseSize_Invalid_ReturnsError(string text)
    {
        Assert.False(ConfigValueParser.TryParseSize(text, out _, out var error));
        Assert.Contains($"'{text}'", error, StringComparison.Ordinal);
    }
}
