// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Tests.Diagnostics;
using Stickpeer.Node.Tests.Transport;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Hostile;

/// <summary>
/// The limits before a handshake, hit over a real socket (rows of docs/security.md): a client that
/// never finishes its hello, and one whose hello cannot be read. Each is closed with no status line,
/// logged once (event 2141, with the count and the address) and counted in
/// <c>stickpeer.section.handshakes_abandoned{reason}</c>; the node keeps serving peer b.
/// </summary>
public sealed class HandshakeLimitTests
{
    [Theory]
    [InlineData("timeout", "timeout")]
    [InlineData("unreadable_hello", "unreadable hello")]
    public async Task HandshakeNotCompleted_ClosedWithoutStatus_LoggedAndCounted(string reason, string logged)
    {
        var ports = FreePort.GetMany(2);
        using var logs = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        await using var a = MetricsNode.Start("a", Config(ports), loggers: loggers, limits: new PeerLimits { HandshakeTimeoutSeconds = 1 });
        var ct = TestContext.Current.CancellationToken;
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, ports[0], ct);

        // A slow-loris hello stops after its first line; an unreadable one is a line longer than any
        // handshake line may be (16 KiB, HAProxy's buffer).
        var sent = reason == "timeout" ? "HAProxyS 2.1\n" : new string('x', 17_000);
        await client.SendAsync(Encoding.ASCII.GetBytes(sent), ct);
        var received = await ReadToEndAsync(client, ct);

        Assert.Empty(received); // no status line: the client is not a peer we can answer
        var line = await logs.WaitForAsync((id, text) => id.Id == 2141 && text.Contains(logged, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.True(line.Contains("127.0.0.1", StringComparison.Ordinal), line);
        Assert.Equal(1, Observe(a, reason));

        // Peer b is still welcome.
        using var peer = await RawPeer.ConnectAsync(ports[0], ct);
        await a.WaitUntilAsync(() => a.Node.Sections["mesh"].GetSnapshot().Peers[0].SessionsEstablished == 1, "peer b's session is up");
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket, CancellationToken ct)
    {
        var all = new List<byte>();
        var buffer = new byte[1024];
        for (var i = 0; i < 1000; i++)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct);
            }
            catch (SocketException)
            {
                break; // reset: closed too
            }

            if (n == 0)
            {
                break;
            }

            all.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        return [.. all];
    }

    private static long Observe(MetricsNode node, string reason) =>
        node.Observe("stickpeer.section.handshakes_abandoned", ("section", "mesh"), ("reason", reason));

    private static string Config(int[] ports) => HostileMesh.Config(ports);
}
