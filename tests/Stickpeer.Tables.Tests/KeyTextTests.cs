// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Keys;

namespace Stickpeer.Tables.Tests;

public class KeyTextTests
{
    [Theory]
    [InlineData(StickKeyType.IPv4, 4, "10.0.0.1", "0A000001", "10.0.0.1")]
    [InlineData(StickKeyType.IPv6, 16, "::1", "00000000000000000000000000000001", "::1")]
    [InlineData(StickKeyType.IPv6, 16, "::ffff:10.0.0.1", "00000000000000000000FFFF0A000001", "::ffff:10.0.0.1")]
    [InlineData(StickKeyType.Integer, 4, "42", "0000002A", "42")]
    [InlineData(StickKeyType.Integer, 4, "4294967295", "FFFFFFFF", "4294967295")]
    [InlineData(StickKeyType.Integer, 4, "12abc", "0000000C", "12")]
    [InlineData(StickKeyType.String, 33, "abc", "616263", "abc")]
    [InlineData(StickKeyType.String, 4, "abcdef", "616263", "abc")]
    [InlineData(StickKeyType.String, 32, "a b=c\\", "6120623D635C", "a\\ b\\=c\\\\")]
    [InlineData(StickKeyType.Binary, 4, "0102", "01020000", "01020000")]
    public void ParseAndFormat_Keys_AreCanonical(StickKeyType type, int keySize, string text, string hex, string shown)
    {
        var key = StickKeyText.TryParse(type, keySize, text);
        Assert.NotNull(key);
        Assert.Equal(hex, Convert.ToHexString(key));
        Assert.Equal(shown, StickKeyText.Format(type, key));
    }

    [Theory]
    [InlineData(StickKeyType.IPv4, 4, "::1")]
    [InlineData(StickKeyType.IPv4, 4, "10.0.0")]
    [InlineData(StickKeyType.IPv6, 16, "10.0.0.1")]
    [InlineData(StickKeyType.Integer, 4, "-1")]
    [InlineData(StickKeyType.Integer, 4, "4294967296")]
    [InlineData(StickKeyType.Binary, 2, "010203")]
    [InlineData(StickKeyType.Binary, 4, "0G")]
    public void TryParse_InvalidKeys_ReturnNull(StickKeyType type, int keySize, string text)
    {
        Assert.Null(StickKeyText.TryParse(type, keySize, text));
    }
}
