// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using Stickpeer.Protocol.Handshake;
using Stickpeer.Protocol.Session;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;
using static Stickpeer.Protocol.Tests.Session.SessionTestKit;

namespace Stickpeer.Protocol.Tests.Session;

public sealed class PeerSessionHandshakeTests
{
    [Fact]
    public void Connector_Start_SendsHelloAndAwaitsStatus()
    {
        var h = new RecordingSessionHandler();
        var s = Connector(h, NewClock());
        s.Start();

        Assert.Equal("HAProxyS 2.1\nb\na 42 1\n", DrainText(s));
        Assert.Equal(PeerSessionState.AwaitingStatus, s.State);
    }

    [Fact]
    public void Connector_Status200WithTrailingMessages_EstablishesAndProcessesTheRest()
    {
        var h = new RecordingSessionHandler();
        var s = Connector(h, NewClock());
        s.Start();
        Drain(s);

        var data = Encoding.ASCII.GetBytes("200\n").Concat(new byte[] { 0x00, 0x04, 0x00, 0x01 }).ToArray();
        var consumed = Feed(s, data);

        Assert.Equal(data.Length, consumed);
        Assert.Equal(PeerSessionState.Established, s.State);
        Assert.Equal(200, s.Status);
        Assert.Equal(["established"], h.Events);
        Assert.Equal([ControlMessageType.Heartbeat, ControlMessageType.ResyncFinished], h.Controls);
        Assert.Equal("00 03", Hex.Format(Drain(s)));
    }

    [Theory]
    [InlineData("300\n", 300)]
    [InlineData("501\n", 501)]
    [InlineData("502\n", 502)]
    [InlineData("503\n", 503)]
    [InlineData("504\n", 504)]
    public void Connector_Non200Status_ClosesWithThatStatus(string line, int status)
    {
        var h = new RecordingSessionHandler();
        var s = Connector(h, NewClock());
        s.Start();
        Drain(s);

        Feed(s, line);

        Assert.Equal(PeerSessionState.Closing, s.State);
        Assert.Equal(SessionCloseReason.StatusRejected, s.CloseReason);
        Assert.Equal(status, s.Status);
        Assert.Equal(status == 502, s.RemoteDowngraded);
        Assert.Equal(SessionCloseReason.StatusRejected, h.Closed);
        Assert.DoesNotContain("established", h.Events);
    }

    [Fact]
    public void Connector_StatusSplitAcrossCalls_WaitsForTheWholeLine()
    {
        var h = new RecordingSessionHandler();
        var s = Connector(h, NewClock());
        s.Start();
        Drain(s);

        Assert.Equal(0, Feed(s, "20"));
        Assert.Equal(PeerSessionState.AwaitingStatus, s.State);
        Assert.Equal(4, Feed(s, "200\n"));
        Assert.Equal(PeerSessionState.Established, s.State);
    }

    [Fact]
    public void Acceptor_ValidHello_Answers200AndEstablishes()
    {
        var h = new RecordingSessionHandler();
        var s = Acceptor(h, NewClock());
        s.Start();

        Feed(s, "HAProxyS 2.1\nb\na 1234 1\n");

        Assert.Equal("200\n", DrainText(s));
        Assert.Equal(PeerSessionState.Established, s.State);
        Assert.Equal("a", s.RemotePeerName);
        Assert.False(s.RemoteDowngraded);
        Assert.Equal(["hello a 2.1", "established"], h.Events);
    }

    [Fact]
    public void Acceptor_Version20Hello_IsAcceptedAsDowngraded()
    {
        var h = new RecordingSessionHandler();
        var s = Acceptor(h, NewClock());
        s.Start();

        Feed(s, "HAProxyS 2.0\nb\na 1234 1\n");

        Assert.Equal("200\n", DrainText(s));
        Assert.True(s.RemoteDowngraded);
    }

    [Theory]
    [InlineData("HAProxyX 2.1\nb\na 1 1\n", 501)]
    [InlineData("HAProxyS 3.0\nb\na 1 1\n", 502)]
    [InlineData("HAProxyS 2.2\nb\na 1 1\n", 502)]
    [InlineData("HAProxyS two\nb\na 1 1\n", 502)]
    [InlineData("HAProxyS 2.1\nc\na 1 1\n", 503)]
    [InlineData("HAProxyS 2.1\nb\na\n", 501)]
    public void Acceptor_InvalidHello_AnswersStatusAndCloses(string hello, int status)
    {
        var h = new RecordingSessionHandler();
        var s = Acceptor(h, NewClock());
        s.Start();

        Feed(s, hello);

        Assert.Equal(status + "\n", DrainText(s));
        Assert.Equal(PeerSessionState.Closing, s.State);
        Assert.Equal(SessionCloseReason.HandshakeRejected, s.CloseReason);
        Assert.DoesNotContain("established", h.Events);
    }

    [Theory]
    [InlineData(HandshakeStatus.UnknownPeer)]
    [InlineData(HandshakeStatus.TryAgain)]
    public void Acceptor_NodeRefusesPeer_AnswersNodeStatus(HandshakeStatus answer)
    {
        var h = new RecordingSessionHandler { HelloAnswer = answer };
        var s = Acceptor(h, NewClock());
        s.Start();

        Feed(s, "HAProxyS 2.1\nb\nx 1 1\n");

        Assert.Equal((int)answer + "\n", DrainText(s));
        Assert.Equal(PeerSessionState.Closing, s.State);
    }

    [Fact]
    public void Acceptor_HelloOneBytePerCall_Establishes()
    {
        var h = new RecordingSessionHandler();
        var s = Acceptor(h, NewClock());
        s.Start();
        var bytes = Encoding.ASCII.GetBytes("HAProxyS 2.1\r\nb\na 1 1\n");
        var buffer = new List<byte>();
        foreach (var b in bytes)
        {
            buffer.Add(b);
            var used = Feed(s, FragmentedSequence.OneBytePerSegment(buffer.ToArray()));
            buffer.RemoveRange(0, (int)used);
        }

        Assert.Empty(buffer);
        Assert.Equal(PeerSessionState.Established, s.State);
    }

    [Fact]
    public void Acceptor_HelloLineTooLong_ClosesWithoutStatus()
    {
        var h = new RecordingSessionHandler();
        var s = Acceptor(h, NewClock());
        s.Start();

        Feed(s, new string('x', 20_000));

        Assert.Equal(SessionCloseReason.HandshakeFailed, s.CloseReason);
        Assert.Empty(Drain(s));
    }

    [Fact]
    public void Acceptor_Silent_ClosesAfterDeadPeerTimeout()
    {
        var time = NewClock();
        var h = new RecordingSessionHandler();
        var s = Acceptor(h, time);
        s.Start();

        time.Advance(TimeSpan.FromSeconds(4.9));
        s.Tick();
        Assert.Equal(PeerSessionState.AwaitingHello, s.State);
        time.Advance(TimeSpan.FromSeconds(0.2));
        s.Tick();

        Assert.Equal(SessionCloseReason.PeerDead, s.CloseReason);
    }

    [Theory]
    [InlineData(PeerSessionState.Created, PeerSessionState.AwaitingStatus, true)]
    [InlineData(PeerSessionState.Created, PeerSessionState.AwaitingHello, true)]
    [InlineData(PeerSessionState.AwaitingHello, PeerSessionState.Established, true)]
    [InlineData(PeerSessionState.Established, PeerSessionState.Closing, true)]
    [InlineData(PeerSessionState.Closing, PeerSessionState.Closed, true)]
    [InlineData(PeerSessionState.Created, PeerSessionState.Established, false)]
    [InlineData(PeerSessionState.Closing, PeerSessionState.Established, false)]
    [InlineData(PeerSessionState.Closed, PeerSessionState.Closing, false)]
    [InlineData(PeerSessionState.Closed, PeerSessionState.Closed, false)]
    public void States_TransitionTable_AllowsOnlyForwardMoves(PeerSessionState from, PeerSessionState to, bool allowed) =>
        Assert.Equal(allowed, PeerSessionStates.IsAllowed(from, to));
}
