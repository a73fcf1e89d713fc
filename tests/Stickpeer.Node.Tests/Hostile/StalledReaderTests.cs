// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Tests.Diagnostics;
using Stickpeer.Node.Tests.Transport;
using Stickpeer.Protocol.Model;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Hostile;

/// <summary>
/// Peer "b" (a bare socket) stops reading while node "a" keeps writing and node "c" replicates with
/// "a" over real sockets: after <c>OutputStallWarning</c> (5 s) without a byte written to b, a logs the
/// stall naming b and the bytes waiting (event 2143, once), counts it in
/// <c>stickpeer.peer.output_stalls</c>, holds a bounded amount for b, and c keeps receiving every
/// write with its session never dropped. When b reads again, a says so (event 2144).
/// </summary>
public sealed partial class StalledReaderTests
{
    private const int Keys = 500;

    [Fact]
    public async Task PeerStopsReading_StallLoggedAndCounted_OutputBounded_OtherPeerUnaffected()
    {
        var ports = FreePort.GetMany(3);
        var ct = TestContext.Current.CancellationToken;
        using var logs = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));

        // No pending-ack window: b never acknowledges, and the stall must come from the socket, not the window.
        await using var a = MetricsNode.Start("a", Config(ports), loggers: loggers, limits: new PeerLimits { MaxUnackedUpdates = 0 });
        using var b = await RawPeer.ConnectAsync(ports[0], ct, receiveBuffer: 4096);
        await b.EndLessonAsync(ct); // b is a's teacher (the first peer up), so c starts after it
        await using var c = MetricsNode.Start("c", Config(ports));
        await c.WaitUntilAsync(() => c.Node.Sections["mesh"].GetSnapshot().Peers.Single(p => p.Name == "a").SessionState == Stickpeer.Protocol.Session.PeerSessionState.Established, "c and a are connected");

        // b keeps its session alive (heartbeats) but reads nothing; a writes all the while.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var heartbeats = HeartbeatsAsync(b, stop.Token);
        var rounds = 0;
        var writer = Task.Run(
            async () =>
            {
                for (var i = 0; i < 3_000 && !stop.IsCancellationRequested; i++)
                {
                    a.Node.Host.Invoke(() =>
                    {
                        for (var k = 0; k < Keys; k++)
                        {
                            a.Tables[0].Increment(Key(k), StickDataType.Gpc0);
                        }

                        return true;
                    });
                    rounds = i + 1;
                    await Task.Delay(10, CancellationToken.None);
                }
            },
            CancellationToken.None);

        string line;
        try
        {
            line = await logs.WaitForAsync((id, _) => id.Id == 2143, TimeSpan.FromSeconds(60));
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
            await heartbeats;
        }

        Assert.Contains("Peer b", line, StringComparison.Ordinal);
        var waiting = long.Parse(BytesWaiting().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(waiting is > 0 and < 64 * 1024, $"{waiting} bytes held for b after {rounds} rounds of {Keys} writes");
        Assert.Equal(1, ObserveStalls(a));
        Assert.Single(logs.Entries, e => e.Id.Id == 2143);

        // c has every write: each key's final count, through a session that never dropped.
        await c.WaitUntilAsync(() => Count(c, 0) == rounds && Count(c, Keys - 1) == rounds, $"c has the {rounds} increments of every key");
        var cToA = c.Node.Host.Invoke(() => c.Node.Sections["mesh"].GetSnapshot().Peers.Single(p => p.Name == "a"));
        Assert.Equal(1, cToA.SessionsEstablished);

        // b reads again: a sees its output move and says the stall is over.
        using var drainStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var drain = DrainAsync(b, drainStop.Token);
        try
        {
            a.Node.Host.Invoke(() => a.Tables[0].Increment(Key(0), StickDataType.Gpc0));
            var resumed = await logs.WaitForAsync((id, _) => id.Id == 2144, TimeSpan.FromSeconds(30));
            Assert.Contains("Peer b", resumed, StringComparison.Ordinal);
        }
        finally
        {
            await drainStop.CancelAsync();
            await drain;
        }
    }

    private static byte[] Key(int k) => Encoding.ASCII.GetBytes("stalled-reader-key-" + k.ToString("D5", System.Globalization.CultureInfo.InvariantCulture));

    private static long Count(MetricsNode node, int k) =>
        node.Tables[0].TryGetValue(Key(k), StickDataType.Gpc0, 0, out var value) ? value : -1;

    private static async Task HeartbeatsAsync(RawPeer peer, CancellationToken ct)
    {
        for (var i = 0; i < 600 && !ct.IsCancellationRequested; i++)
        {
            await peer.Socket.SendAsync(new byte[] { 0x00, 0x04 }, CancellationToken.None);
            try
            {
                await Task.Delay(1000, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task DrainAsync(RawPeer peer, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        for (var i = 0; i < 100_000 && !ct.IsCancellationRequested; i++)
        {
            try
            {
                if (await peer.Socket.ReceiveAsync(buffer, ct) == 0)
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static long ObserveStalls(MetricsNode node) => node.Observe("stickpeer.peer.output_stalls", ("peer", "b"));

    private static string Config(int[] ports) => HostileMesh.Config(ports, size: "10k");

    [GeneratedRegex(@"(\d+) bytes wait")]
    private static partial Regex BytesWaiting();
}
