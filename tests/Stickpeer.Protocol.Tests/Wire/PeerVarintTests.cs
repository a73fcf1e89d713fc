// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using CsCheck;
using Stickpeer.Protocol.Errors;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;

namespace Stickpeer.Protocol.Tests.Wire;

public sealed class PeerVarintTests
{
    public static TheoryData<ulong, string> V0 => new()
    {
        { 0, "00" }, { 239, "EF" }, { 240, "F0 00" }, { 2287, "FF 7F" }, { 2288, "F0 80 00" },
        { 264431, "FF FF 7F" }, { 264432, "F0 80 80 00" }, { 33818863, "FF FF FF 7F" },
        { 33818864, "F0 80 80 80 00" }, { 4294967295, "FF F0 FE FE 7E" }, { 4328786160, "F0 80 80 80 80 00" },
        { 1UL << 63, "F0 F1 FE FE FE FE FE FE FE 06" }, { ulong.MaxValue, "FF F0 FE FE FE FE FE FE FE 0E" },
        { 300, "FC 03" }, { 1029, "F5 31" }, { 1500, "FC 4E" }, { 10000, "F0 E2 03" }, { 12000, "F0 DF 04" },
        { 60000, "F0 97 1C" }, { 600000, "F0 ED A3 01" }, { 1800000, "F0 E5 ED 05" },
        { unchecked((ulong)(long)-1), "FF F0 FE FE FE FE FE FE FE 0E" },
    };

    [Theory]
    [MemberData(nameof(V0))]
    public void Write_V0Value_ProducesVectorBytes(ulong value, string hex)
    {
        Span<byte> buffer = stackalloc byte[10];
        var n = PeerVarint.Write(buffer, value);
        Assert.Equal(hex, Hex.Format(buffer[..n]));
        Assert.Equal(n, PeerVarint.GetEncodedLength(value));
    }

    [Theory]
    [MemberData(nameof(V0))]
    public void TryRead_V0Bytes_ReturnsValue(ulong value, string hex)
    {
        var bytes = Hex.Parse(hex);
        Assert.Equal(OperationStatus.Done, PeerVarint.TryRead(bytes, out var decoded, out var used));
        Assert.Equal(value, decoded);
        Assert.Equal(bytes.Length, used);
    }

    [Theory]
    [MemberData(nameof(V0))]
    public void TryRead_StrictPrefix_NeedsMoreData(ulong value, string hex)
    {
        _ = value;
        var bytes = Hex.Parse(hex);
        for (var i = 0; i < bytes.Length; i++)
        {
            Assert.Equal(OperationStatus.NeedMoreData, PeerVarint.TryRead(bytes.AsSpan(0, i), out _, out var used));
            Assert.Equal(0, used);
        }
    }

    [Theory]
    [MemberData(nameof(V0))]
    public void TryReadSequence_EverySplit_ReturnsValueAndAdvances(ulong value, string hex)
    {
        var bytes = Hex.Parse(hex).Append((byte)0x55).ToArray();
        foreach (var (name, seq) in FragmentedSequence.AllVariants(bytes))
        {
            var reader = new SequenceReader<byte>(seq);
            Assert.True(OperationStatus.Done == PeerVarint.TryRead(ref reader, out var decoded), name);
            Assert.Equal(value, decoded);
            Assert.Equal(bytes.Length - 1, reader.Consumed);

            var prefix = new SequenceReader<byte>(seq.Slice(0, bytes.Length - 2));
            Assert.Equal(OperationStatus.NeedMoreData, PeerVarint.TryRead(ref prefix, out _));
            Assert.Equal(0, prefix.Consumed);
        }
    }

    [Fact]
    public void TryRead_EleventhByte_ThrowsVarintTooLong()
    {
        var bytes = Hex.Parse("F0 80 80 80 80 80 80 80 80 80 00");
        var ex = Assert.Throws<PeerProtocolException>(() => PeerVarint.TryRead(bytes, out _, out _));
        Assert.Equal(ProtocolError.VarintTooLong, ex.Reason);

        var ex2 = Assert.Throws<PeerProtocolException>(() =>
        {
            var reader = new SequenceReader<byte>(FragmentedSequence.OneBytePerSegment(bytes));
            PeerVarint.TryRead(ref reader, out _);
        });
        Assert.Equal(ProtocolError.VarintTooLong, ex2.Reason);
    }

    [Fact]
    public void TryRead_TenContinuationBytes_ThrowsWithoutWaiting()
    {
        var tenContinuations = Hex.Parse("F0 80 80 80 80 80 80 80 80 80");
        Assert.Throws<PeerProtocolException>(() => PeerVarint.TryRead(tenContinuations, out _, out _));
        Assert.Equal(OperationStatus.NeedMoreData, PeerVarint.TryRead(tenContinuations.AsSpan(0, 9), out _, out _));
    }

    [Fact]
    public void Write_DestinationTooSmall_Throws()
    {
        var buffer = new byte[4];
        Assert.Throws<ArgumentException>(() => PeerVarint.Write(buffer, uint.MaxValue));
        Assert.Throws<ArgumentException>(() => PeerVarint.Write(Span<byte>.Empty, 1));
    }

    [Fact]
    public void Varint_RandomValues_RoundTrip()
    {
        Gen.OneOf(Gen.ULong, Gen.ULong[0, 300], Gen.ULong[0, 1UL << 40], Gen.Int[0, 63].Select(s => (1UL << s) - 1))
            .Sample(value =>
            {
                Span<byte> buffer = stackalloc byte[10];
                var n = PeerVarint.Write(buffer, value);
                Assert.Equal(n, PeerVarint.GetEncodedLength(value));
                Assert.Equal(OperationStatus.Done, PeerVarint.TryRead(buffer[..n], out var decoded, out var used));
                Assert.Equal(value, decoded);
                Assert.Equal(n, used);
                Assert.True(n == 1 || buffer[0] >= 0xF0);
                Assert.True(buffer[n - 1] < 0x80 || n == 1);
            }, iter: 20000);
    }

    [Fact]
    public void Varint_LengthBoundaries_MatchSpecTable()
    {
        ulong[] minimums = [0xF0, 0x8F0, 0x408F0, 0x20408F0, 0x1020408F0, 0x81020408F0, 0x4081020408F0, 0x204081020408F0, 0x10204081020408F0];
        for (var i = 0; i < minimums.Length; i++)
        {
            Assert.Equal(i + 1, PeerVarint.GetEncodedLength(minimums[i] - 1));
            Assert.Equal(i + 2, PeerVarint.GetEncodedLength(minimums[i]));
        }
    }
}
