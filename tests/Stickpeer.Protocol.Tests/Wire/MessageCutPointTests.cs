// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Protocol.Tests.Wire;

/// <summary>The fault relay's message-aware cut point (TestKit), over the real frame scanner.</summary>
public sealed class MessageCutPointTests
{
    [Fact]
    public void CutAfterSecondAck_FoundWhateverTheReadBoundaries()
    {
        var stream = new ArrayBufferWriter<byte>();
        stream.Write(Encoding.ASCII.GetBytes("HAProxyS 2.1\nb\na 1 1\n"));
        PeerMessageWriter.WriteControl(stream, ControlMessageType.ResyncRequest);
        PeerMessageWriter.WriteAck(stream, 1, 10);
        PeerMessageWriter.WriteControl(stream, ControlMessageType.Heartbeat);
        PeerMessageWriter.WriteAck(stream, 1, 11);
        var expected = stream.WrittenCount;
        PeerMessageWriter.WriteControl(stream, ControlMessageType.ResyncFinished);
        var bytes = stream.WrittenSpan.ToArray();

        for (var split = 0; split <= bytes.Length; split++)
        {
            var cut = new MessageCutPoint("after ACK #2", fromConnector: true, (c, t) => c == 10 && t == 0x84, occurrence: 2);
            cut.Feed(bytes.AsSpan(0, split));
            cut.Feed(bytes.AsSpan(split));
            Assert.Equal(expected, cut.CutAfter);
        }
    }

    [Fact]
    public void StatusDirection_SkipsOneLine_AndANeverSeenMessageGivesNoCutPoint()
    {
        var stream = new ArrayBufferWriter<byte>();
        stream.Write("200\n"u8);
        PeerMessageWriter.WriteControl(stream, ControlMessageType.ResyncPartial);
        var partialEnd = stream.WrittenCount;
        PeerMessageWriter.WriteControl(stream, ControlMessageType.Heartbeat);

        var partial = new MessageCutPoint("after 00 02", fromConnector: false, (c, t) => c == 0 && t == 2);
        partial.Feed(stream.WrittenSpan);
        Assert.Equal(partialEnd, partial.CutAfter);

        var finished = new MessageCutPoint("after 00 01", fromConnector: false, (c, t) => c == 0 && t == 1);
        finished.Feed(stream.WrittenSpan);
        Assert.Null(finished.CutAfter);
    }
}
