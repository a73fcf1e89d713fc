// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using System.Text;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Transport;

/// <summary>
/// Before its handshake a connection is read through a 1 KiB buffer: a longer hello is refused, and
/// bytes that arrive with the hello are handed to the session's main reader in order.
/// </summary>
public sealed class HandshakeReadTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task BytesAfterTheHello_InTheSameWrite_ReachTheSessionInOrder()
    {
        var ports = FreePort.GetMany(2);
        await using var a = TestNode.Start("a", Config(ports));
        using var client = await ConnectAsync(ports[0]);
        var ct = TestContext.Current.CancellationToken;

        // The hello, one heartbeat (00 04) and the first byte of a second one, in one write.
        await client.SendAsync(Encoding.ASCII.GetBytes("HAProxyS 2.1\na\nb 1 1\n").Concat(new byte[] { 0x00, 0x04, 0x00 }).ToArray(), ct);
        var status = new byte[4];
        Assert.Equal(4, await client.ReceiveAsync(status, ct).AsTask().WaitAsync(s_wait, ct));
        Assert.Equal("200\n", Encoding.ASCII.GetString(status));
        await client.SendAsync(new byte[] { 0x04 }, ct);

        await WaitUntilAsync(() => a.Peer("b").SessionCounters?.HeartbeatsReceived == 2, () => $"heartbeats received: {a.Peer("b").SessionCounters?.HeartbeatsReceived}");
    }

    [Fact]
    public async Task HelloLongerThanTheHandshakeBuffer_ClosesTheConnection()
    {
        var ports = FreePort.GetMany(2);
        await using var a = TestNode.Start("a", Config(ports));
        using var client = await ConnectAsync(ports[0]);
        var ct = TestContext.Current.CancellationToken;

        await client.SendAsync(Encoding.ASCII.GetBytes("HAProxyS 2.1\na\n" + new string('b', 2000)), ct);

        var buffer = new byte[64];
        int n;
        try
        {
            n = await client.ReceiveAsync(buffer, ct).AsTask().WaitAsync(s_wait, ct);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            n = 0;
        }

        Assert.Equal(0, n);
        await WaitUntilAsync(
            () => a.Logs.Entries.Any(e => e.Message.Contains("handshake longer than 1024 bytes", StringComparison.Ordinal)),
            () => "no log line names the long handshake");
    }

    private static string Config(int[] ports) => $"peers p\n  peer a 127.0.0.1:{ports[0]}\n  peer b 127.0.0.1:{ports[1]}\n";

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), TestContext.Current.CancellationToken);
        return socket;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> what)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), what());
    }
}
