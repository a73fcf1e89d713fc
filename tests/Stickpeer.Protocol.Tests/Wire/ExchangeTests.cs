// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Handshake;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;

namespace Stickpeer.Protocol.Tests.Wire;

/// <summary>V12 (a complete exchange) and the V10 key encodings.</summary>
public sealed class ExchangeTests
{
    [Fact]
    public void V12_BothDirections_EverySplit_ParseToTheSameMessages()
    {
        byte[] toAcceptor = [.. Vectors.V1Hello, 0x00, 0x00, 0x00, 0x03];
        byte[] toConnector = [.. "200\n"u8, .. Vectors.V4, .. Vectors.V5b, 0x00, 0x02];

        foreach (var (name, seq) in FragmentedSequence.AllVariants(toAcceptor))
        {
            Assert.True(HandshakeReader.TryReadHello(seq, 64, out var hello, out var consumed, out _) == OperationStatus.Done, name);
            Assert.Equal(HandshakeStatus.Success, HandshakeValidator.Validate(hello!, "hapB", n => n == "hapA" ? HandshakePeerState.Remote : HandshakePeerState.Unknown).Status);
            Assert.Equal(["0/00 ", "0/03 "], Transcript.Decode(seq.Slice(consumed)));
        }

        foreach (var (name, seq) in FragmentedSequence.AllVariants(toConnector))
        {
            Assert.True(HandshakeReader.TryReadStatus(seq, 64, out var status, out var consumed, out _) == OperationStatus.Done, name);
            Assert.Equal(HandshakeStatus.Success, status);
            var lines = Transcript.Decode(seq.Slice(consumed));
            Assert.Equal(3, lines.Count);
            Assert.StartsWith("10/82 id=1 name=stkt", lines[0], StringComparison.Ordinal);
            Assert.Equal("10/85 id=1 exp=599000 key=61 62 63 server_id=0 gpc0=1 http_req_rate=1500/1/0", lines[1]);
            Assert.Equal("0/02 ", lines[2]);
        }
    }

    [Fact]
    public void V10_Ipv6Key_TravelsAsSixteenRawBytes()
    {
        var schema = new TableSchema("v6", StickKeyType.IPv6, 16, 0, [new DataTypeSpec(StickDataType.Gpc0, 1, 0)]);
        var key = Hex.Parse("20 01 0D B8 00 00 00 00 00 00 00 00 00 00 00 01");
        var values = new EntryValues(schema);
        values.Of(StickDataType.Gpc0)[0].Number = 5;
        var w = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteUpdate(w, false, 3, 0, key, values, new ServerKeyEncoderCache());
        Assert.Equal("0A 80 15 00 00 00 03 20 01 0D B8 00 00 00 00 00 00 00 00 00 00 00 01 05", Hex.Format(w.WrittenSpan));

        var u = CodecAssert.DecodeUpdate(w.WrittenSpan.ToArray(), schema, 0, new ServerKeyDecoderCache());
        Assert.Equal(key, u.Key.ToArray());
        Assert.Equal(5UL, u.Values.Of(StickDataType.Gpc0)[0].Number);
    }

    [Fact]
    public void V10_BinaryKey_IsKeySizeBytesZeroPadded()
    {
        var schema = new TableSchema("bin", StickKeyType.Binary, 8, 0, []);
        var w = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteUpdate(w, false, 1, 0, [0xDE, 0xAD], new EntryValues(schema), new ServerKeyEncoderCache());
        var u = CodecAssert.DecodeUpdate(w.WrittenSpan.ToArray(), schema, 0, new ServerKeyDecoderCache());
        Assert.Equal("DE AD 00 00 00 00 00 00", Hex.Format(u.Key));
    }
}
