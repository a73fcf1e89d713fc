// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Transport;

/// <summary>
/// Half-open clients over real sockets: one address gets a bounded number of slots, each for a
/// bounded time, and a real peer from another address still connects meanwhile.
/// </summary>
public sealed class PendingHandshakeLimitTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    // 127.0.0.2 is loopback too (127.0.0.0/8): the "attacker" is another source address than the real peer.
    private static readonly IPAddress s_attacker = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task HalfOpenClients_AreCappedPerAddressAndClosedAtTheDeadline_ARealPeerStillConnects()
    {
        var ports = FreePort.GetMany(2);
        var config = $"peers p\n  peer a 127.0.0.1:{ports[0]}\n  peer b 127.0.0.1:{ports[1]}\n";
        await using var a = TestNode.Start("a", config, tune: o => o with { MaxPendingInboundPerAddress = 2, HandshakeTimeout = TimeSpan.FromSeconds(3) });
        var ct = TestContext.Current.CancellationToken;

        using var first = await HalfOpenAsync(ports[0], ct);
        using var second = await HalfOpenAsync(ports[0], ct);
        await WaitUntilAsync(() => a.Node.Host.Invoke(() => a.Node.Sections["p"].PendingInbound) == 2, "two pending handshakes");
        using var third = await HalfOpenAsync(ports[0], ct);

        // The third is closed unanswered at accept; the first two wait, then hit the deadline.
        Assert.Equal(0, await ReceiveAsync(third, ct));
        Assert.Equal(1, a.Node.Host.Invoke(() => a.Node.Sections["p"].RefusedInbound));

        await using var b = TestNode.Start("b", config);
        await a.WaitEstablishedAsync("b", s_wait);

        Assert.Equal(0, await ReceiveAsync(first, ct));
        Assert.Equal(0, await ReceiveAsync(second, ct));
        Assert.Equal(2, a.Node.Host.Invoke(() => a.Node.Sections["p"].HandshakeTimeouts));
        Assert.Equal(Protocol.Session.PeerSessionState.Established, a.Peer("b").SessionState);
    }

    /// <summary>Connects from the attacker address and sends the start of a hello, never the rest.</summary>
    private static async Task<Socket> HalfOpenAsync(int port, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(s_attacker, 0));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
        await socket.SendAsync("HAPro"u8.ToArray(), ct);
        return socket;
    }

    /// <summary>Bytes of the first read (0 = the node closed the connection), bounded in time.</summary>
    private static async Task<int> ReceiveAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[64];
        try
        {
            return await socket.ReceiveAsync(buffer, ct).AsTask().WaitAsync(s_wait, ct);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return 0;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "timed out waiting for " + what);
    }
}
