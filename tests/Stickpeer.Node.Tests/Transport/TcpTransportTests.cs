// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using System.Text;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Transport;

public sealed class TcpTransportTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task TwoNodes_PlainTcp_EstablishOneSessionEachWay()
    {
        var ports = FreePort.GetMany(2);
        var config = $"peers mesh\n peer a 127.0.0.1:{ports[0]}\n peer b 127.0.0.1:{ports[1]}\n";
        await using var a = TestNode.Start("a", config);
        await using var b = TestNode.Start("b", config);

        await a.WaitEstablishedAsync("b", s_wait);
        await b.WaitEstablishedAsync("a", s_wait);

        Assert.Equal(200, a.Peer("b").LastStatus);
        Assert.Equal(200, b.Peer("a").LastStatus);
    }

    [Fact]
    public async Task Listener_HelloFromUnknownPeer_Answers504AndKeepsServing()
    {
        var ports = FreePort.GetMany(2);
        var config = $"peers mesh\n peer a 127.0.0.1:{ports[0]}\n peer b 127.0.0.1:{ports[1]}\n";
        await using var a = TestNode.Start("a", config);

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, ports[0], TestContext.Current.CancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HAProxyS 2.1\na\nstranger 1 1\n"), TestContext.Current.CancellationToken);
            var reply = new byte[16];
            var n = await stream.ReadAsync(reply, TestContext.Current.CancellationToken);
            Assert.Equal("504\n", Encoding.ASCII.GetString(reply, 0, n));
        }

        await using var b = TestNode.Start("b", config);
        await a.WaitEstablishedAsync("b", s_wait);
    }

    [Fact]
    public async Task Stop_WithOpenSessions_ClosesThemAndPeerSeesClose()
    {
        var ports = FreePort.GetMany(2);
        var config = $"peers mesh\n peer a 127.0.0.1:{ports[0]}\n peer b 127.0.0.1:{ports[1]}\n";
        await using var b = TestNode.Start("b", config);
        var a = TestNode.Start("a", config);
        await b.WaitEstablishedAsync("a", s_wait);

        await a.Node.StopAsync(TimeSpan.FromSeconds(5));
        await a.DisposeAsync();

        var deadline = DateTime.UtcNow + s_wait;
        while (b.Peer("a").SessionState == Protocol.Session.PeerSessionState.Established && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.NotEqual(Protocol.Session.PeerSessionState.Established, b.Peer("a").SessionState);
    }
}
