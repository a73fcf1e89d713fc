// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Errors;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;

namespace Stickpeer.Protocol.Tests.Wire;

/// <summary>
/// <c>server_key</c> dictionary ids past the 128 slots. HAProxy checked the bound only for a
/// bare id until 06673291d (2026): an id above 128 carrying a value wrote a heap pointer out of
/// bounds. Both forms must be refused as malformed, and the cache left as it was.
/// </summary>
public sealed class DictionaryIdBoundsTests
{
    private static readonly TableSchema s_schema = new("d", StickKeyType.String, 32, 0, [new DataTypeSpec(StickDataType.ServerKey, 1, 0)]);

    [Theory]
    [InlineData(129UL, false)]
    [InlineData(129UL, true)]
    [InlineData(200UL, false)]
    [InlineData(200UL, true)]
    [InlineData(4294967295UL, false)]
    [InlineData(4294967295UL, true)]
    [InlineData(4294967297UL, true)] // HAProxy cuts the id to 32 bits (it would take slot 1); we refuse it
    [InlineData(ulong.MaxValue, true)]
    public void Update_DictionaryIdAbove128_IsInvalidAndLeavesTheCacheAlone(ulong id, bool withValue)
    {
        var rx = new ServerKeyDecoderCache();
        var into = new DecodedUpdate(s_schema);
        UpdateMessageReader.Read(UpdateWithServerKey(128, "keep"), StickTableMessageType.Update, 0, rx, into);

        var error = Assert.Throws<PeerProtocolException>(
            () => UpdateMessageReader.Read(UpdateWithServerKey(id, withValue ? "evil" : null), StickTableMessageType.Update, 1, rx, new DecodedUpdate(s_schema)));

        Assert.Equal(ProtocolError.InvalidDictionaryId, error.Reason);
        Assert.Equal("keep", rx.Get(128));
        Assert.Null(rx.Get(1));
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(128UL)]
    public void Update_DictionaryIdAtTheBounds_IsAccepted(ulong id)
    {
        var rx = new ServerKeyDecoderCache();
        var into = new DecodedUpdate(s_schema);

        UpdateMessageReader.Read(UpdateWithServerKey(id, "srv"), StickTableMessageType.Update, 0, rx, into);
        UpdateMessageReader.Read(UpdateWithServerKey(id, null), StickTableMessageType.Update, 1, rx, into);

        Assert.Equal("srv", into.Values.Of(StickDataType.ServerKey)[0].Text);
    }

    /// <summary>An update (id 1, key "k") whose server_key is the dictionary <paramref name="id"/>, with <paramref name="value"/> or bare.</summary>
    internal static byte[] UpdateWithServerKey(ulong id, string? value)
    {
        var inner = new List<byte>();
        WireBytes.AppendVarint(inner, id);
        if (value is not null)
        {
            WireBytes.AppendVarint(inner, (ulong)value.Length);
            inner.AddRange(System.Text.Encoding.ASCII.GetBytes(value));
        }

        var payload = new List<byte> { 0, 0, 0, 1, 1, (byte)'k' };
        WireBytes.AppendVarint(payload, (ulong)inner.Count);
        payload.AddRange(inner);
        return [.. payload];
    }
}
