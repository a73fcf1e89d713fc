// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;

namespace Stickpeer.Protocol.Tests.Wire;

/// <summary>server_key values are opaque bytes: what a peer sends is what we store and relay.</summary>
public sealed class DictionaryTextTests
{
    // Invalid UTF-8 (FF FE), a newline and a forged "key=" field: what a hostile peer sent in the probe of issue 20.
    private static readonly byte[] s_hostile = Hex.Parse("73 FF FE 0A 58 20 6B 65 79 3D 31 2E 32 2E 33 2E 34");

    [Theory]
    [InlineData("73 72 76 31")] // srv1
    [InlineData("63 61 66 C3 A9")] // café, valid UTF-8
    [InlineData("73 FF FE 0A 58 20 6B 65 79 3D")]
    [InlineData("E2 82")] // a truncated 3-byte sequence
    [InlineData("C3 A9 80 F0 9F 98 80 ED A0 80")] // valid, stray continuation, emoji, encoded surrogate (invalid UTF-8)
    [InlineData("ED B2 80")] // UTF-8 of U+DC80 itself: invalid in UTF-8, so escaped byte by byte
    [InlineData("00 7F 80 FF")]
    public void Decode_ThenGetBytes_GivesTheReceivedBytes(string hex)
    {
        var bytes = Hex.Parse(hex);
        var text = DictionaryText.Decode(bytes);

        Assert.Equal(bytes, DictionaryText.GetBytes(text));
        Assert.Equal(bytes.Length, DictionaryText.GetByteCount(text));
    }

    [Fact]
    public void Decode_ValidUtf8_IsOrdinaryText()
    {
        Assert.Equal("café", DictionaryText.Decode(Encoding.UTF8.GetBytes("café")));
    }

    [Fact]
    public void RandomBytes_RoundTrip()
    {
        var random = new Random(20261206);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 24)];
            random.NextBytes(bytes);
            Assert.Equal(bytes, DictionaryText.GetBytes(DictionaryText.Decode(bytes)));
        }
    }

    [Fact]
    public void ReceivedUpdate_IsRelayedWithTheSameServerKeyBytes()
    {
        var schema = new TableSchema("t", StickKeyType.String, 32, 60_000, [new DataTypeSpec(StickDataType.ServerKey, 1, 0)]);
        var received = WriteUpdate(schema, DictionaryText.Decode(s_hostile));
        Assert.Contains(Hex.Format(s_hostile), Hex.Format(received), StringComparison.Ordinal);

        // Decode it as a learner does, then teach it onward with a fresh session dictionary.
        var decoded = new DecodedUpdate(schema);
        UpdateMessageReader.Read(received.AsSpan(3), StickTableMessageType.Update, 0, new ServerKeyDecoderCache(), decoded);
        var relayed = WriteUpdate(schema, decoded.Values.Of(StickDataType.ServerKey)[0].Text!);

        Assert.Equal(Hex.Format(received), Hex.Format(relayed));
    }

    [Fact]
    public void DecodeOutput_PrintsTheReceivedBytes_NotAUtf8ReEncoding()
    {
        var schema = new TableSchema("t", StickKeyType.String, 32, 60_000, [new DataTypeSpec(StickDataType.ServerKey, 1, 0)]);
        var values = new EntryValues(schema);
        values.Of(StickDataType.ServerKey)[0].Text = DictionaryText.Decode([0x73, 0xFF]);
        var sb = new StringBuilder();

        Stickpeer.Protocol.Decode.ValueFormatter.AppendValues(sb, schema, values.Slots);

        Assert.Equal(@" server_key=""s\xff""", sb.ToString());
    }

    private static byte[] WriteUpdate(TableSchema schema, string serverKey)
    {
        var values = new EntryValues(schema);
        values.Of(StickDataType.ServerKey)[0].Text = serverKey;
        var writer = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteUpdate(writer, false, 1, 0, "k"u8, values, new ServerKeyEncoderCache());
        var message = writer.WrittenSpan.ToArray();
        Assert.True(message[2] < 240, "the test reads a one-byte length");
        return message;
    }
}
