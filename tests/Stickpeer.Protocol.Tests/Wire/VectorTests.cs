// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;

namespace Stickpeer.Protocol.Tests.Wire;

/// <summary>Every binary vector of peers-vectors.md, decoded and re-encoded byte for byte.</summary>
public sealed class VectorTests
{
    public static TheoryData<string, int, string> Defines => new()
    {
        { "V4", 1, "stkt" },
        { "V4b", 1, "/stkt" },
        { "V4c", 1, "stkt+srvkey" },
        { "V4d", 1, "stkt-nolen" },
        { "V9", 2, "web" },
        { "V10", 3, "ids" },
        { "V11", 4, "arr" },
        { "V13", 1, "str" },
    };

    [Theory]
    [MemberData(nameof(Defines))]
    public void Define_Vector_DecodesAndEncodesExactly(string vector, int tableId, string schemaName)
    {
        var (bytes, schema) = DefineVector(vector, schemaName);
        var frame = CodecAssert.SingleFrame(bytes);
        Assert.Equal((byte)MessageClass.StickTable, frame.Class);
        Assert.Equal((byte)StickTableMessageType.Define, frame.Type);

        var def = DefineMessage.Parse(frame.Payload);
        Assert.Equal(tableId, def.TableId);
        Assert.Equal(schema.Name, def.Name);
        Assert.Equal((ulong)schema.KeyType, def.KeyTypeCode);
        Assert.Equal((ulong)schema.KeySize, def.KeySize);
        Assert.Equal(schema.DataTypeMask, def.DataTypeMask);
        Assert.Equal(schema.ExpireMs, def.ExpireMs);
        Assert.Equal(DefineIgnoreReason.None, def.IgnoreReason);
        CodecAssert.SameSchema(schema, def.Schema);

        var w = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteDefine(w, tableId, schema);
        CodecAssert.Bytes(bytes, w);
    }

    [Fact]
    public void Update_V5_DecodesAndEncodesExactly()
    {
        var u = CodecAssert.DecodeUpdate(Vectors.V5, Vectors.Stkt, 77, new ServerKeyDecoderCache());
        Assert.Equal(1u, u.UpdateId);
        Assert.False(u.HasExpire);
        Assert.Equal("abc", Encoding.ASCII.GetString(u.Key));
        AssertStktValues(u.Values, serverId: 0, gpc0: 1, age: 1500, curr: 1, prev: 0);

        var w = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteUpdate(w, timed: false, 1, 0, "abc"u8, u.Values, new ServerKeyEncoderCache());
        CodecAssert.Bytes(Vectors.V5, w);
    }

    [Fact]
    public void Update_V5b_Timed_DecodesAndEncodesExactly()
    {
        var u = CodecAssert.DecodeUpdate(Vectors.V5b, Vectors.Stkt, 0, new ServerKeyDecoderCache());
        Assert.Equal(1u, u.UpdateId);
        Assert.True(u.HasExpire);
        Assert.Equal(599000u, u.ExpireMs);
        Assert.Equal("abc", Encoding.ASCII.GetString(u.Key));
        AssertStktValues(u.Values, 0, 1, 1500, 1, 0);

        var w = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteUpdate(w, timed: true, 1, 599000, "abc"u8, u.Values, new ServerKeyEncoderCache());
        CodecAssert.Bytes(Vectors.V5b, w);
    }

    [Fact]
    public void Update_V5c_Implicit_TakesPreviousPlusOne()
    {
        var u = CodecAssert.DecodeUpdate(Vectors.V5c, Vectors.Stkt, 1, new ServerKeyDecoderCache());
        Assert.Equal(2u, u.UpdateId);
        Assert.False(u.HasExpire);
        Assert.Equal("abd", Encoding.ASCII.GetString(u.Key));
        AssertStktValues(u.Values, 0, 2, 20, 2, 0);

        var w = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteUpdate(w, timed: false, null, 0, "abd"u8, u.Values, new ServerKeyEncoderCache());
        CodecAssert.Bytes(Vectors.V5c, w);
    }

    [Fact]
    public void Update_V5d_ImplicitTimed_DecodesAndEncodesExactly()
    {
        var u = CodecAssert.DecodeUpdate(Vectors.V5d, Vectors.Stkt, uint.MaxValue, new ServerKeyDecoderCache());
        Assert.Equal(0u, u.UpdateId); // wraps modulo 2^32
        Assert.Equal(598500u, u.ExpireMs);
        AssertStktValues(u.Values, 0, 2, 20, 2, 0);

        var w = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteUpdate(w, timed: true, null, 598500, "abd"u8, u.Values, new ServerKeyEncoderCache());
        CodecAssert.Bytes(Vectors.V5d, w);
    }

    [Fact]
    public void ServerKey_V9Sequence_UsesDictionaryBothWays()
    {
        var rx = new ServerKeyDecoderCache();
        var first = CodecAssert.DecodeUpdate(Vectors.V9First, Vectors.Web, 0, rx);
        Assert.Equal(7u, first.UpdateId);
        Assert.Equal(new byte[] { 10, 0, 0, 1 }, first.Key.ToArray());
        Assert.Equal(3UL, first.Values.Of(StickDataType.ServerId)[0].Number);
        Assert.Equal("srv1", first.Values.Of(StickDataType.ServerKey)[0].Text);
        Assert.Equal("srv1", rx.Get(1));

        var cached = CodecAssert.DecodeUpdate(Vectors.V9Cached, Vectors.Web, 7, rx);
        Assert.Equal(8u, cached.UpdateId);
        Assert.Equal(new byte[] { 10, 0, 0, 2 }, cached.Key.ToArray());
        Assert.Equal("srv1", cached.Values.Of(StickDataType.ServerKey)[0].Text);

        var none = CodecAssert.DecodeUpdate(Vectors.V9None, Vectors.Web, 8, rx);
        Assert.Equal(9u, none.UpdateId);
        Assert.Equal(0UL, none.Values.Of(StickDataType.ServerId)[0].Number);
        Assert.Null(none.Values.Of(StickDataType.ServerKey)[0].Text);

        var tx = new ServerKeyEncoderCache();
        var values = new EntryValues(Vectors.Web);
        var w = new ArrayBufferWriter<byte>();
        values.Of(StickDataType.ServerId)[0].Number = 3;
        values.Of(StickDataType.ServerKey)[0].Text = "srv1";
        PeerMessageWriter.WriteUpdate(w, false, 7, 0, [10, 0, 0, 1], values, tx);
        CodecAssert.Bytes(Vectors.V9First, w);

        w.ResetWrittenCount();
        PeerMessageWriter.WriteUpdate(w, false, null, 0, [10, 0, 0, 2], values, tx);
        CodecAssert.Bytes(Vectors.V9Cached, w);

        w.ResetWrittenCount();
        values.Of(StickDataType.ServerId)[0].Number = 0;
        values.Of(StickDataType.ServerKey)[0].Text = null;
        PeerMessageWriter.WriteUpdate(w, false, 9, 0, [10, 0, 0, 3], values, tx);
        CodecAssert.Bytes(Vectors.V9None, w);
    }

    [Fact]
    public void Update_V10_IntegerKeyLearnedId_DecodesAndEncodesExactly()
    {
        var u = CodecAssert.DecodeUpdate(Vectors.V10Update, Vectors.Ids, 0, new ServerKeyDecoderCache());
        Assert.Equal(0x80000005u, u.UpdateId);
        Assert.Equal(45000u, u.ExpireMs);
        Assert.Equal(new byte[] { 0x12, 0x34, 0x56, 0x78 }, u.Key.ToArray());
        Assert.Equal(300UL, u.Values.Of(StickDataType.Gpc0)[0].Number);

        var w = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteUpdate(w, true, 0x80000005u, 45000, [0x12, 0x34, 0x56, 0x78], u.Values, new ServerKeyEncoderCache());
        CodecAssert.Bytes(Vectors.V10Update, w);
    }

    [Fact]
    public void Update_V11_Arrays_DecodesAndEncodesExactly()
    {
        var u = CodecAssert.DecodeUpdate(Vectors.V11Update, Vectors.Arr, 0, new ServerKeyDecoderCache());
        Assert.Equal(42u, u.UpdateId);
        Assert.Equal(new byte[] { 192, 0, 2, 1 }, u.Key.ToArray());
        Assert.Equal(new ulong[] { 5, 0, 250 }, u.Values.Of(StickDataType.Gpc).ToArray().Select(v => v.Number));
        var rates = u.Values.Of(StickDataType.GpcRate);
        Assert.Equal((100u, 3u, 7u), (rates[0].AgeMs, rates[0].Current, rates[0].Previous));
        Assert.Equal((12000u, 0u, 9u), (rates[1].AgeMs, rates[1].Current, rates[1].Previous));

        var w = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteUpdate(w, false, 42, 0, [192, 0, 2, 1], u.Values, new ServerKeyEncoderCache());
        CodecAssert.Bytes(Vectors.V11Update, w);
    }

    [Fact]
    public void Update_V13Capture_NegativeServerIdAndMaxGpt_RoundTrip()
    {
        var live = CodecAssert.DecodeUpdate(Vectors.V13Live, Vectors.Str, 0, new ServerKeyDecoderCache());
        Assert.Equal("alpha", Encoding.ASCII.GetString(live.Key));
        Assert.Equal(new ulong[] { 4, 5, 1, 2 }, live.Values.Slots[..4].ToArray().Select(v => v.Number));
        Assert.Equal((3053u, 3u, 0u), (live.Values.Slots[4].AgeMs, live.Values.Slots[4].Current, live.Values.Slots[4].Previous));

        var beta = CodecAssert.DecodeUpdate(Vectors.V13Beta, Vectors.Str, 1, new ServerKeyDecoderCache());
        Assert.Equal(2u, beta.UpdateId);
        Assert.Equal("beta", Encoding.ASCII.GetString(beta.Key));
        Assert.Equal(unchecked((ulong)-1L), beta.Values.Of(StickDataType.ServerId)[0].Number);
        Assert.Equal(uint.MaxValue, beta.Values.Of(StickDataType.Gpt0)[0].Number);
        Assert.Equal(300UL, beta.Values.Of(StickDataType.Gpc0)[0].Number);
        Assert.Equal(70000UL, beta.Values.Of(StickDataType.ConnCnt)[0].Number);

        var w = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteUpdate(w, false, 1, 0, "alpha"u8, live.Values, new ServerKeyEncoderCache());
        CodecAssert.Bytes(Vectors.V13Live, w);
        w.ResetWrittenCount();
        PeerMessageWriter.WriteUpdate(w, true, null, 0x001B6B40, "beta"u8, beta.Values, new ServerKeyEncoderCache());
        CodecAssert.Bytes(Vectors.V13Beta, w);
    }

    [Theory]
    [InlineData("0A 84 05 01 00 00 00 01", 1, 1u)]
    [InlineData("0A 84 06 FC 03 01 02 03 04", 300, 0x01020304u)]
    public void Ack_V7_DecodesAndEncodesExactly(string hex, int tableId, uint updateId)
    {
        var bytes = Hex.Parse(hex);
        var frame = CodecAssert.SingleFrame(bytes);
        Assert.Equal((byte)StickTableMessageType.Ack, frame.Type);
        var (id, update) = AckMessage.Parse(frame.Payload);
        Assert.Equal(tableId, id);
        Assert.Equal(updateId, update);

        var w = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteAck(w, tableId, updateId);
        CodecAssert.Bytes(bytes, w);
    }

    [Fact]
    public void Switch_V8_DecodesAndEncodesExactly()
    {
        var frame = CodecAssert.SingleFrame(Vectors.V8);
        Assert.Equal((byte)StickTableMessageType.Switch, frame.Type);
        Assert.Equal(1, SwitchMessage.Parse(frame.Payload).TableId);

        var w = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteSwitch(w, 1);
        CodecAssert.Bytes(Vectors.V8, w);
    }

    [Theory]
    [InlineData(ControlMessageType.ResyncRequest, "00 00")]
    [InlineData(ControlMessageType.ResyncFinished, "00 01")]
    [InlineData(ControlMessageType.ResyncPartial, "00 02")]
    [InlineData(ControlMessageType.ResyncConfirm, "00 03")]
    [InlineData(ControlMessageType.Heartbeat, "00 04")]
    public void Control_V3V6_DecodesAndEncodesExactly(ControlMessageType type, string hex)
    {
        var bytes = Hex.Parse(hex);
        var frame = CodecAssert.SingleFrame(bytes);
        Assert.Equal((byte)MessageClass.Control, frame.Class);
        Assert.Equal((byte)type, frame.Type);
        Assert.True(frame.Payload.IsEmpty);
        Assert.False(frame.HasPayload);

        var w = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteControl(w, type);
        CodecAssert.Bytes(bytes, w);
    }

    [Theory]
    [InlineData(ErrorMessageType.ProtocolError, "01 00")]
    [InlineData(ErrorMessageType.SizeLimit, "01 01")]
    public void Error_V3_DecodesAndEncodesExactly(ErrorMessageType type, string hex)
    {
        var bytes = Hex.Parse(hex);
        var frame = CodecAssert.SingleFrame(bytes);
        Assert.Equal((byte)MessageClass.Error, frame.Class);
        Assert.Equal((byte)type, frame.Type);

        var w = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteError(w, type);
        CodecAssert.Bytes(bytes, w);
    }

    private static void AssertStktValues(EntryValues values, ulong serverId, ulong gpc0, uint age, uint curr, uint prev)
    {
        Assert.Equal(serverId, values.Of(StickDataType.ServerId)[0].Number);
        Assert.Equal(gpc0, values.Of(StickDataType.Gpc0)[0].Number);
        var rate = values.Of(StickDataType.HttpReqRate)[0];
        Assert.Equal((age, curr, prev), (rate.AgeMs, rate.Current, rate.Previous));
    }

    private static (byte[] Bytes, TableSchema Schema) DefineVector(string vector, string schemaName) => vector switch
    {
        "V4" => (Vectors.V4, Vectors.Stkt),
        "V4b" => (Vectors.V4b, Vectors.StktPeers),
        "V4c" => (Vectors.V4c, Vectors.StktStickOn),
        "V4d" => (Vectors.V4d, Vectors.StktNoLen),
        "V9" => (Vectors.V9Define, Vectors.Web),
        "V10" => (Vectors.V10Define, Vectors.Ids),
        "V11" => (Vectors.V11Define, Vectors.Arr),
        "V13" => (Vectors.V13Define, Vectors.Str),
        _ => throw new ArgumentException(vector + "/" + schemaName),
    };
}
