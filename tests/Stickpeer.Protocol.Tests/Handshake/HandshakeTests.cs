// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Stickpeer.Protocol.Errors;
using Stickpeer.Protocol.Handshake;
using Stickpeer.Protocol.Tests.Wire;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;

namespace Stickpeer.Protocol.Tests.Handshake;

public sealed class HandshakeTests
{
    private const int Max = PeerProtocolLimits.DefaultMaxHandshakeLine;

    private static HandshakePeerState Peers(string name) => name switch
    {
        "hapA" => HandshakePeerState.Remote,
        "hapB" => HandshakePeerState.Local,
        "busy" => HandshakePeerState.LocalBusy,
        _ => HandshakePeerState.Unknown,
    };

    private static PeerHello ReadHello(string text)
    {
        var seq = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text));
        Assert.Equal(OperationStatus.Done, HandshakeReader.TryReadHello(seq, Max, out var hello, out _, out _));
        Assert.NotNull(hello);
        return hello;
    }

    [Fact]
    public void Hello_V1_WritesExactBytes()
    {
        var w = new ArrayBufferWriter<byte>();
        HandshakeWriter.WriteHello(w, "hapB", "hapA", 4242);
        Assert.Equal(Hex.Format(Vectors.V1Hello), Hex.Format(w.WrittenSpan));

        w.ResetWrittenCount();
        HandshakeWriter.WriteHello(w, "hapB", "hapA", 4242, downgraded: true);
        Assert.Equal("HAProxyS 2.0\nhapB\nhapA 4242 1\n", Encoding.ASCII.GetString(w.WrittenSpan));
    }

    [Fact]
    public void Hello_V1EverySplit_ParsesAndLeavesBinaryBytesUnconsumed()
    {
        var data = Vectors.V1Hello.Concat(new byte[] { 0x00, 0x00 }).ToArray();
        foreach (var (name, seq) in FragmentedSequence.AllVariants(data))
        {
            Assert.True(HandshakeReader.TryReadHello(seq, Max, out var hello, out var consumed, out var examined) == OperationStatus.Done, name);
            Assert.NotNull(hello);
            Assert.Equal(consumed, examined);
            Assert.Equal(2, seq.Slice(consumed).Length);
            Assert.Equal("hapB", hello.TargetName);
            Assert.Equal("hapA", hello.SenderName);
            var result = HandshakeValidator.Validate(hello, "hapB", Peers);
            Assert.Equal(new HandshakeResult(HandshakeStatus.Success, "hapA", HandshakePeerState.Remote, 1), result);
            Assert.False(result.IsDowngraded);
        }
    }

    [Fact]
    public void Hello_EveryStrictPrefix_ConsumesNothing()
    {
        var data = Vectors.V1Hello;
        for (var i = 0; i < data.Length; i++)
        {
            foreach (var seq in new[] { new ReadOnlySequence<byte>(data, 0, i), FragmentedSequence.OneBytePerSegment(data.AsSpan(0, i)) })
            {
                Assert.Equal(OperationStatus.NeedMoreData, HandshakeReader.TryReadHello(seq, Max, out var hello, out var consumed, out var examined));
                Assert.Null(hello);
                Assert.Equal(seq.Start, consumed);
                Assert.Equal(seq.End, examined);
            }
        }
    }

    [Theory]
    [InlineData("HAProxyS 2.1\nhapB\nhapA 4242 1\n", HandshakeStatus.Success)]
    [InlineData("HAProxyS 2.1\r\nhapB\r\nhapA 4242 1\r\n", HandshakeStatus.Success)]
    [InlineData("HAProxyS 2.0\nhapB\nhapA 1 1\n", HandshakeStatus.Success)]
    [InlineData("HAProxyS 2.1\nhapB\nhapB 1 1\n", HandshakeStatus.Success)]
    [InlineData("HAProxyS 2.1\nhapB\nbusy 1 1\n", HandshakeStatus.TryAgain)]
    [InlineData("HAProxyX 2.1\nhapB\nhapA 1 1\n", HandshakeStatus.ProtocolError)]
    [InlineData("HAProxyS2.1\nhapB\nhapA 1 1\n", HandshakeStatus.ProtocolError)]
    [InlineData("haproxys 2.1\nhapB\nhapA 1 1\n", HandshakeStatus.ProtocolError)]
    [InlineData("HAProxyX 9.9\nwrong\nnospace\n", HandshakeStatus.ProtocolError)]
    [InlineData("HAProxyS 2.2\nhapB\nhapA 1 1\n", HandshakeStatus.BadVersion)]
    [InlineData("HAProxyS 3.0\nhapB\nhapA 1 1\n", HandshakeStatus.BadVersion)]
    [InlineData("HAProxyS 1.0\nhapB\nhapA 1 1\n", HandshakeStatus.BadVersion)]
    [InlineData("HAProxyS 2.1 \nhapB\nhapA 1 1\n", HandshakeStatus.BadVersion)]
    [InlineData("HAProxyS 2\nhapB\nhapA 1 1\n", HandshakeStatus.BadVersion)]
    [InlineData("HAProxyS 2.\nhapB\nhapA 1 1\n", HandshakeStatus.BadVersion)]
    [InlineData("HAProxyS x.1\nhapB\nhapA 1 1\n", HandshakeStatus.BadVersion)]
    [InlineData("HAProxyS 2.1\nwrong\nhapA 1 1\n", HandshakeStatus.WrongHost)]
    [InlineData("HAProxyS 2.2\nwrong\nnospace\n", HandshakeStatus.BadVersion)]
    [InlineData("HAProxyS 2.1\nhapb\nhapA 1 1\n", HandshakeStatus.WrongHost)]
    [InlineData("HAProxyS 2.1\nwrong\nnospace\n", HandshakeStatus.WrongHost)]
    [InlineData("HAProxyS 2.1\nhapB\nhapA\n", HandshakeStatus.ProtocolError)]
    [InlineData("HAProxyS 2.1\nhapB\nnobody 1 1\n", HandshakeStatus.UnknownPeer)]
    [InlineData("HAProxyS 2.1\nhapB\n hapA 1 1\n", HandshakeStatus.UnknownPeer)]
    public void Validate_Hello_ReturnsStatusInHaproxyOrder(string text, HandshakeStatus expected)
    {
        Assert.Equal(expected, HandshakeValidator.Validate(ReadHello(text), "hapB", Peers).Status);
    }

    [Fact]
    public void Validate_Downgraded_ReportsMinorZero()
    {
        var result = HandshakeValidator.Validate(ReadHello("HAProxyS 2.0\nhapB\nhapA 1 1\n"), "hapB", Peers);
        Assert.True(result.IsDowngraded);
        Assert.Equal("hapA", result.PeerName);
    }

    [Fact]
    public void Validate_LookupNotCalledBeforeEarlierChecksPass()
    {
        var calls = 0;
        HandshakeValidator.Validate(ReadHello("HAProxyS 2.1\nother\nhapA 1 1\n"), "hapB", n =>
        {
            calls++;
            return HandshakePeerState.Remote;
        });
        Assert.Equal(0, calls);
    }

    [Theory]
    [InlineData(HandshakeStatus.Success, "32 30 30 0A")]
    [InlineData(HandshakeStatus.TryAgain, "33 30 30 0A")]
    [InlineData(HandshakeStatus.ProtocolError, "35 30 31 0A")]
    [InlineData(HandshakeStatus.BadVersion, "35 30 32 0A")]
    [InlineData(HandshakeStatus.WrongHost, "35 30 33 0A")]
    [InlineData(HandshakeStatus.UnknownPeer, "35 30 34 0A")]
    public void Status_V2_WritesAndParsesEverySplit(HandshakeStatus status, string hex)
    {
        var w = new ArrayBufferWriter<byte>();
        HandshakeWriter.WriteStatus(w, status);
        Assert.Equal(hex, Hex.Format(w.WrittenSpan));

        // The acceptor may send binary messages in the same segment as the status line.
        var data = Hex.Parse(hex).Concat(Vectors.V4).ToArray();
        foreach (var (name, seq) in FragmentedSequence.AllVariants(data))
        {
            Assert.True(HandshakeReader.TryReadStatus(seq, Max, out var parsed, out var consumed, out var examined) == OperationStatus.Done, name);
            Assert.Equal(status, parsed);
            Assert.Equal(consumed, examined);
            Assert.Equal(Vectors.V4, seq.Slice(consumed).ToArray());
        }

        var bytes = Hex.Parse(hex);
        for (var i = 0; i < bytes.Length; i++)
        {
            var prefix = FragmentedSequence.OneBytePerSegment(bytes.AsSpan(0, i));
            Assert.Equal(OperationStatus.NeedMoreData, HandshakeReader.TryReadStatus(prefix, Max, out _, out var consumed, out var examined));
            Assert.Equal(prefix.Start, consumed);
            Assert.Equal(prefix.End, examined);
        }
    }

    [Theory]
    [InlineData("200 OK\r\n", 200)]
    [InlineData("  502\n", 502)]
    [InlineData("404\n", 404)]
    public void Status_AtoiLike_ParsesLeadingNumber(string text, int expected)
    {
        var seq = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text));
        Assert.Equal(OperationStatus.Done, HandshakeReader.TryReadStatus(seq, Max, out var status, out _, out _));
        Assert.Equal(expected, (int)status);
    }

    [Theory]
    [InlineData("abc\n")]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Status_NotANumber_ThrowsBadHandshakeLine(string text)
    {
        var seq = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text));
        var ex = Assert.Throws<PeerProtocolException>(() => HandshakeReader.TryReadStatus(seq, Max, out _, out _, out _));
        Assert.Equal(ProtocolError.BadHandshakeLine, ex.Reason);
    }

    [Fact]
    public void Hello_LineTooLong_ThrowsLineTooLongWithoutNewline()
    {
        var seq = new ReadOnlySequence<byte>(new byte[Max]);
        var ex = Assert.Throws<PeerProtocolException>(() => HandshakeReader.TryReadHello(seq, Max, out _, out _, out _));
        Assert.Equal(ProtocolError.LineTooLong, ex.Reason);

        var second = Encoding.ASCII.GetBytes("HAProxyS 2.1\n" + new string('x', 40));
        ex = Assert.Throws<PeerProtocolException>(() => HandshakeReader.TryReadHello(new ReadOnlySequence<byte>(second), 40, out _, out _, out _));
        Assert.Equal(ProtocolError.LineTooLong, ex.Reason);
        Assert.Equal(OperationStatus.NeedMoreData, HandshakeReader.TryReadHello(new ReadOnlySequence<byte>(second), 41, out _, out _, out _));
    }

    [Fact]
    public void Status_LineAtLimit_IsAcceptedAndOneMoreIsNot()
    {
        var ok = new ReadOnlySequence<byte>("200 xx\n"u8.ToArray());
        Assert.Equal(OperationStatus.Done, HandshakeReader.TryReadStatus(ok, 7, out _, out _, out _));
        var ex = Assert.Throws<PeerProtocolException>(() => HandshakeReader.TryReadStatus(ok, 6, out _, out _, out _));
        Assert.Equal(ProtocolError.LineTooLong, ex.Reason);
    }

    [Fact]
    public void WriteHello_InvalidNames_Throw()
    {
        var w = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => HandshakeWriter.WriteHello(w, "a\nb", "me", 1));
        Assert.Throws<ArgumentException>(() => HandshakeWriter.WriteHello(w, "them", "m e", 1));
        Assert.Throws<ArgumentException>(() => HandshakeWriter.WriteHello(w, "", "me", 1));
        Assert.Equal(0, w.WrittenCount);
    }
}
