// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Decode;

namespace Stickpeer.Protocol.Tests.Decode;

public sealed class HexInputTests
{
    [Theory]
    [InlineData("00 01 ff", new byte[] { 0, 1, 255 })]
    [InlineData("0001FF", new byte[] { 0, 1, 255 })]
    [InlineData("00:01:ff # trailing comment\n# whole line\n\t0a", new byte[] { 0, 1, 255, 10 })]
    [InlineData("", new byte[0])]
    public void Parse_ValidText_ReturnsBytes(string text, byte[] expected) =>
        Assert.Equal(expected, HexInput.Parse(text));

    [Theory]
    [InlineData("00 0g", "line 1, column 5")]
    [InlineData("00\n 123", "line 2, column 2")]
    public void Parse_InvalidText_NamesLineAndColumn(string text, string where)
    {
        var ex = Assert.Throws<FormatException>(() => HexInput.Parse(text));
        Assert.StartsWith(where, ex.Message, StringComparison.Ordinal);
    }
}
