// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Errors;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;

namespace Stickpeer.Protocol.Tests.Wire;

public sealed class ErrorPathTests
{
    private static ProtocolError Reason(Action action) => Assert.Throws<PeerProtocolException>(action).Reason;

    private static OperationStatus Scan(byte[] bytes, int max = PeerProtocolLimits.DefaultMaxPayload) =>
        PeerFrameScanner.TryRead(new ReadOnlySequence<byte>(bytes), max, out _, out _, out _);

    [Fact]
    public void Scanner_LengthVarintLongerThanFiveBytes_ThrowsVarintTooLong()
    {
        Assert.Equal(ProtocolError.VarintTooLong, Reason(() => Scan(Hex.Parse("0A 80 F0 80 80 80 80 00"))));
        Assert.Equal(ProtocolError.VarintTooLong, Reason(() => Scan(Hex.Parse("0A 80 F0 80 80 80 80"))));
        Assert.Equal(ProtocolError.VarintTooLong, Reason(() =>
            PeerFrameScanner.TryRead(FragmentedSequence.OneBytePerSegment(Hex.Parse("0A 80 F0 80 80 80 80")), out _, out _, out _)));
    }

    [Theory]
    [InlineData("0A 80 F0 80 80 80 80 00", ProtocolError.VarintTooLong)]
    [InlineData("0A 80 FF F0 FE FE 7E", ProtocolError.SizeLimit)]
    [InlineData("FF 00", ProtocolError.ReservedClass)]
    public void SpanScanner_Malformed_ThrowsExactReason(string hex, ProtocolError reason)
    {
        Assert.Equal(reason, Reason(() => PeerFrameScanner.TryRead(Hex.Parse(hex), PeerProtocolLimits.DefaultMaxPayload, out _, out _)));
    }

    [Fact]
    public void Scanner_LengthVarintFourContinuationBytes_NeedsMoreData()
    {
        Assert.Equal(OperationStatus.NeedMoreData, Scan(Hex.Parse("0A 80 F0 80 80 80")));
    }

    [Fact]
    public void Scanner_PayloadOverLimit_ThrowsSizeLimitBeforePayloadArrives()
    {
        var header = new byte[7];
        header[0] = 0x0A;
        header[1] = 0x80;
        var n = PeerVarint.Write(header.AsSpan(2), PeerProtocolLimits.DefaultMaxPayload + 1);
        var ex = Assert.Throws<PeerProtocolException>(() => Scan(header[..(2 + n)]));
        Assert.Equal(ProtocolError.SizeLimit, ex.Reason);
        Assert.Equal(ErrorMessageType.SizeLimit, ex.WireError);

        Assert.Equal(ProtocolError.SizeLimit, Reason(() => Scan(Hex.Parse("0A 80 FF F0 FE FE 7E"))));
        Assert.Equal(ProtocolError.SizeLimit, Reason(() => Scan(Vectors.V5, max: 13)));
        Assert.Equal(OperationStatus.Done, Scan(Vectors.V5, max: 14));
    }

    [Fact]
    public void Scanner_ReservedClass_ThrowsReservedClass()
    {
        Assert.Equal(ProtocolError.ReservedClass, Reason(() => Scan([0xFF, 0x00])));
        Assert.Equal(ProtocolError.ReservedClass, Reason(() => Scan([0xFF, 0x80, 0x01, 0x00])));
        Assert.Equal(ErrorMessageType.ProtocolError, new PeerProtocolException(ProtocolError.ReservedClass).WireError);
    }

    [Theory]
    [InlineData("05 07", 5, 7, "")]
    [InlineData("05 85 02 AA BB", 5, 0x85, "AA BB")]
    [InlineData("0A 90 01 00", 10, 0x90, "00")]
    [InlineData("00 09", 0, 9, "")]
    [InlineData("01 80 00", 1, 0x80, "")]
    public void Scanner_UnknownClassOrType_ReturnsFrameToSkip(string hex, byte cls, byte type, string payload)
    {
        var bytes = Hex.Parse(hex);
        var frame = CodecAssert.SingleFrame(bytes);
        Assert.Equal(cls, frame.Class);
        Assert.Equal(type, frame.Type);
        Assert.Equal(payload, Hex.Format(frame.Payload));
    }

    [Theory]
    [InlineData("F0", ProtocolError.MalformedVarint)]
    [InlineData("", ProtocolError.MalformedVarint)]
    [InlineData("01 00 61 06", ProtocolError.InvalidTableName)]
    [InlineData("01 03 61 62 63", ProtocolError.InvalidTableName)]
    [InlineData("01 09 61 62 63", ProtocolError.InvalidTableName)]
    [InlineData("01 01 61 F0", ProtocolError.MalformedVarint)]
    [InlineData("01 01 61 06", ProtocolError.MalformedVarint)]
    [InlineData("01 01 61 06 21", ProtocolError.MalformedVarint)]
    [InlineData("FF F0 FE FE 7E 01 61 06 21 04", ProtocolError.InvalidTableId)]
    public void Define_Malformed_ThrowsExactReason(string hex, ProtocolError reason)
    {
        Assert.Equal(reason, Reason(() => DefineMessage.Parse(Hex.Parse(hex))));
    }

    [Theory]
    [InlineData("01 01 61 03 04 04 00", DefineIgnoreReason.UnknownKeyType)]
    [InlineData("01 01 61 00 04 04 00", DefineIgnoreReason.UnknownKeyType)]
    [InlineData("01 01 61 08 04 04 00", DefineIgnoreReason.UnknownKeyType)]
    [InlineData("01 01 61 04 05 04 00", DefineIgnoreReason.InvalidKeySize)]
    [InlineData("01 01 61 05 04 04 00", DefineIgnoreReason.InvalidKeySize)]
    [InlineData("01 01 61 06 00 04 00", DefineIgnoreReason.InvalidKeySize)]
    [InlineData("00 01 61 04 04 04 00", DefineIgnoreReason.ZeroTableId)]
    [InlineData("01 01 61 04 04 F0 F1 FE 1E", DefineIgnoreReason.MissingArrayParameters)]
    [InlineData("01 01 61 04 04 F0 F1 FE 1E 00", DefineIgnoreReason.MissingParameters)]
    [InlineData("01 01 61 04 04 F0 F1 FE 1E 00 17", DefineIgnoreReason.MissingParameters)]
    [InlineData("01 01 61 04 04 F0 F1 FE 1E 00 16 03", DefineIgnoreReason.ParameterTypeMismatch)]
    [InlineData("01 01 61 04 04 F0 F1 FE 1E 00 17 00", DefineIgnoreReason.InvalidArrayLength)]
    [InlineData("01 01 61 04 04 F0 F1 FE 1E 00 17 65", DefineIgnoreReason.InvalidArrayLength)]
    [InlineData("01 01 61 04 04 08 00", DefineIgnoreReason.MissingParameters)]
    public void Define_Unusable_IsIgnoredWithReason(string hex, DefineIgnoreReason reason)
    {
        var def = DefineMessage.Parse(Hex.Parse(hex));
        Assert.Null(def.Schema);
        Assert.Equal(reason, def.IgnoreReason);
        Assert.Equal("a", def.Name);
    }

    [Fact]
    public void Define_WithoutExpire_AcceptsNonArrayTypesWithoutParameters()
    {
        // bitmask 0x405 (server_id, gpc0, http_req_rate), no expire, no parameter blocks (pre-1.8 sender).
        var def = DefineMessage.Parse(Hex.Parse("01 03 61 62 63 04 04 F5 31"));
        Assert.Null(def.ExpireMs);
        Assert.NotNull(def.Schema);
        Assert.Equal(0x405UL, def.Schema.DataTypeMask);
        Assert.Equal(0u, def.Schema.ExpireMs);
        Assert.True(def.Schema.TryGet(StickDataType.HttpReqRate, out var rate));
        Assert.Equal(0u, rate.PeriodMs);
    }

    [Fact]
    public void Define_UnknownHighDataTypes_KeepsKnownTypesAndRawMask()
    {
        // bitmask = gpc0 (bit 2) | bit 27 | bit 40; the unknown bits have no blocks we read.
        var mask = (1UL << 2) | (1UL << 27) | (1UL << 40);
        var payload = new List<byte> { 0x01, 0x01, 0x61, 0x04, 0x04 };
        var buffer = new byte[10];
        payload.AddRange(buffer.AsSpan(0, PeerVarint.Write(buffer, mask)).ToArray());
        payload.AddRange([0x00, 0x1B, 0x05, 0x99]); // expire 0, then junk for the unknown types
        var def = DefineMessage.Parse(payload.ToArray());
        Assert.Equal(mask, def.DataTypeMask);
        Assert.NotNull(def.Schema);
        Assert.Equal(1UL << 2, def.Schema.DataTypeMask);
    }

    [Fact]
    public void Define_NoExpireField_AcceptsFrequencyCountersWithoutPeriod()
    {
        var def = DefineMessage.Parse(Hex.Parse("07 01 61 06 21 F5 31"));
        Assert.Equal(7, def.TableId);
        Assert.Null(def.ExpireMs);
        Assert.NotNull(def.Schema);
    }

    [Theory]
    [InlineData(StickTableMessageType.Update, "00 00 00", ProtocolError.TruncatedMessage)]
    [InlineData(StickTableMessageType.UpdateTimed, "00 00 00 01 00 00 00", ProtocolError.TruncatedMessage)]
    [InlineData(StickTableMessageType.IncrementalUpdateTimed, "00 00", ProtocolError.TruncatedMessage)]
    [InlineData(StickTableMessageType.IncrementalUpdate, "05 61 62", ProtocolError.TruncatedMessage)]
    [InlineData(StickTableMessageType.IncrementalUpdate, "F0", ProtocolError.MalformedVarint)]
    [InlineData(StickTableMessageType.IncrementalUpdate, "03 61 62 63 00 01 FC", ProtocolError.MalformedVarint)]
    [InlineData(StickTableMessageType.IncrementalUpdate, "03 61 62 63 00 01 FC 4E 01", ProtocolError.MalformedVarint)]
    [InlineData(StickTableMessageType.IncrementalUpdate, "", ProtocolError.MalformedVarint)]
    public void Update_Truncated_ThrowsExactReason(StickTableMessageType type, string hex, ProtocolError reason)
    {
        var into = new DecodedUpdate(Vectors.Stkt);
        Assert.Equal(reason, Reason(() => UpdateMessageReader.Read(Hex.Parse(hex), type, 0, new ServerKeyDecoderCache(), into)));
    }

    [Theory]
    [InlineData("01 00", ProtocolError.InvalidDictionaryId)]
    [InlineData("01 81", ProtocolError.InvalidDictionaryId)]
    [InlineData("03 81 01 41", ProtocolError.InvalidDictionaryId)]
    [InlineData("03 00 01 41", ProtocolError.InvalidDictionaryId)]
    [InlineData("05 01 04 41 42 43", ProtocolError.InvalidDictionaryValue)]
    [InlineData("02 01 F0", ProtocolError.InvalidDictionaryValue)]
    [InlineData("07 01 02 41", ProtocolError.TruncatedMessage)]
    [InlineData("F0", ProtocolError.MalformedVarint)]
    public void Update_BadServerKey_ThrowsExactReason(string dictHex, ProtocolError reason)
    {
        var payload = Hex.Parse("00 00 00 01 0A 00 00 01 03 " + dictHex);
        var into = new DecodedUpdate(Vectors.Web);
        Assert.Equal(reason, Reason(() => UpdateMessageReader.Read(payload, StickTableMessageType.Update, 0, new ServerKeyDecoderCache(), into)));
    }

    [Fact]
    public void Update_EmptyDictionarySlot_DecodesAsNoValue()
    {
        var into = new DecodedUpdate(Vectors.Web);
        UpdateMessageReader.Read(Hex.Parse("00 00 00 01 0A 00 00 01 03 01 05"), StickTableMessageType.Update, 0, new ServerKeyDecoderCache(), into);
        Assert.Null(into.Values.Of(StickDataType.ServerKey)[0].Text);
    }

    [Fact]
    public void Update_DictionaryStringReplacesSlot()
    {
        var rx = new ServerKeyDecoderCache();
        var into = new DecodedUpdate(Vectors.Web);
        UpdateMessageReader.Read(Hex.Parse("00 00 00 01 0A 00 00 01 03 04 80 02 41 42"), StickTableMessageType.Update, 0, rx, into);
        Assert.Equal("AB", into.Values.Of(StickDataType.ServerKey)[0].Text);
        UpdateMessageReader.Read(Hex.Parse("00 00 00 02 0A 00 00 01 03 04 80 02 43 44"), StickTableMessageType.Update, 0, rx, into);
        Assert.Equal("CD", rx.Get(128));
        rx.Clear();
        Assert.Null(rx.Get(128));
    }

    [Fact]
    public void Update_StringKeyLongerThanKeySize_IsTruncatedButFullySkipped()
    {
        var schema = new TableSchema("s", StickKeyType.String, 4, 0, [new DataTypeSpec(StickDataType.Gpc0, 1, 0)]);
        var into = new DecodedUpdate(schema);
        UpdateMessageReader.Read(Hex.Parse("06 61 62 63 64 65 66 FC 03"), StickTableMessageType.IncrementalUpdate, 9, new ServerKeyDecoderCache(), into);
        Assert.Equal("abc"u8.ToArray(), into.Key.ToArray());
        Assert.Equal(300UL, into.Values.Of(StickDataType.Gpc0)[0].Number);
        Assert.Equal(10u, into.UpdateId);
    }

    [Fact]
    public void Update_TrailingBytes_AreIgnored()
    {
        var payload = Vectors.V5[3..].Concat(Hex.Parse("01 02 03 F0")).ToArray();
        var into = new DecodedUpdate(Vectors.Stkt);
        UpdateMessageReader.Read(payload, StickTableMessageType.Update, 0, new ServerKeyDecoderCache(), into);
        Assert.Equal(1UL, into.Values.Of(StickDataType.Gpc0)[0].Number);
    }

    [Fact]
    public void Update_NotAnUpdateType_ThrowsArgument()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            UpdateMessageReader.Read(Vectors.V5.AsSpan(3).ToArray(), StickTableMessageType.Ack, 0, new ServerKeyDecoderCache(), new DecodedUpdate(Vectors.Stkt)));
    }

    [Theory]
    [InlineData("", ProtocolError.MalformedVarint)]
    [InlineData("01 00 00 00", ProtocolError.TruncatedMessage)]
    [InlineData("FF F0 FE FE 7E 00 00 00 00", ProtocolError.InvalidTableId)]
    public void Ack_Malformed_ThrowsExactReason(string hex, ProtocolError reason)
    {
        Assert.Equal(reason, Reason(() => AckMessage.Parse(Hex.Parse(hex))));
    }

    [Theory]
    [InlineData("", ProtocolError.MalformedVarint)]
    [InlineData("F0 80", ProtocolError.MalformedVarint)]
    [InlineData("FF F0 FE FE 7E", ProtocolError.InvalidTableId)]
    public void Switch_Malformed_ThrowsExactReason(string hex, ProtocolError reason)
    {
        Assert.Equal(reason, Reason(() => SwitchMessage.Parse(Hex.Parse(hex))));
    }

    [Fact]
    public void Writer_KeyNotMatchingKeyType_ThrowsArgument()
    {
        var w = new ArrayBufferWriter<byte>();
        var values = new EntryValues(Vectors.Stkt);
        Assert.Throws<ArgumentException>(() => PeerMessageWriter.WriteUpdate(w, false, 1, 0, new byte[33], values, new ServerKeyEncoderCache()));
        Assert.Throws<ArgumentException>(() => PeerMessageWriter.WriteUpdate(w, false, 1, 0, new byte[3], new EntryValues(Vectors.Web), new ServerKeyEncoderCache()));
        Assert.Equal(0, w.WrittenCount);
    }

    [Fact]
    public void Writer_BinaryKeyShorterThanKeySize_IsZeroPadded()
    {
        var schema = new TableSchema("b", StickKeyType.Binary, 8, 0, []);
        var w = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteUpdate(w, false, 1, 0, [0xDE, 0xAD], new EntryValues(schema), new ServerKeyEncoderCache());
        Assert.Equal("0A 80 0C 00 00 00 01 DE AD 00 00 00 00 00 00", Hex.Format(w.WrittenSpan));
    }

    [Fact]
    public void Writer_OversizedUpdate_ThrowsWithoutTouchingCache()
    {
        var tx = new ServerKeyEncoderCache();
        var values = new EntryValues(Vectors.Web);
        values.Of(StickDataType.ServerKey)[0].Text = new string('x', 20000);
        var w = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => PeerMessageWriter.WriteUpdate(w, false, 1, 0, [1, 2, 3, 4], values, tx));
        Assert.Equal(0, tx.Count);
        Assert.Equal(0, w.WrittenCount);
    }

    [Fact]
    public void EncoderCache_RoundRobin_EvictsOldestSlotAndReusesIds()
    {
        var tx = new ServerKeyEncoderCache();
        for (var i = 0; i < 128; i++)
        {
            Assert.Equal(i + 1, tx.Add("s" + i));
        }

        Assert.Equal(1, tx.Add("new"));
        Assert.False(tx.TryGetId("s0", out _));
        Assert.True(tx.TryGetId("s1", out var id));
        Assert.Equal(2, id);
        Assert.Equal(1, tx.Add("new"));
        tx.Clear();
        Assert.Equal(1, tx.NextId);
        Assert.Equal(0, tx.Count);
    }
}
