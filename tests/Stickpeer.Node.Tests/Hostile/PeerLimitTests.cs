// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Tests.Diagnostics;
using Stickpeer.Node.Tests.Transport;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Hostile;

/// <summary>
/// The limits on what a peer controls, each hit by a raw-socket peer "b" of a started node "a":
/// the code on the wire, the log line naming the peer and the cause, and the metric.
/// </summary>
public sealed class PeerLimitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // A string key of "len 32" is 33 bytes on the wire (its NUL included).
    private static readonly TableSchema Web = new("web", StickKeyType.String, 33, 3_600_000, [new DataTypeSpec(StickDataType.Gpc0, 1, 0)]);

    [Fact]
    public async Task UpdateRate_PeerSendsPastTheBurst_Gets0100_Logged_Counted()
    {
        var ports = FreePort.GetMany(2);
        using var logs = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var limits = new PeerLimits { MaxUpdatesPerSecond = 1, UpdateBurst = 5 };
        await using var a = MetricsNode.Start("a", Config(ports), loggers: loggers, limits: limits);
        var ct = TestContext.Current.CancellationToken;
        using var peer = await RawPeer.ConnectAsync(ports[0], ct);
        await peer.EndLessonAsync(ct);

        // Twenty updates in one write: the bucket holds five and earns one a second.
        var batch = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteDefine(batch, 1, Web);
        for (var i = 0; i < 20; i++)
        {
            var values = new EntryValues(Web);
            values.Of(StickDataType.Gpc0)[0].Number = 1;
            PeerMessageWriter.WriteUpdate(batch, false, (uint)(i + 1), 0, Encoding.ASCII.GetBytes("k" + i), values, new ServerKeyEncoderCache());
        }

        await peer.Socket.SendAsync(batch.WrittenMemory, ct);
        var tail = await peer.ReadToEndAsync(ct);

        Assert.True(tail.Count >= 2 && tail[^2] == 0x01 && tail[^1] == 0x00, "last bytes: " + Convert.ToHexString([.. tail.TakeLast(8)]));
        var line = await logs.WaitForAsync((id, _) => id.Id == 2004, Patience);
        Assert.Contains("(b)", line, StringComparison.Ordinal);
        Assert.Contains("UpdateRateLimit", line, StringComparison.Ordinal);
        await a.WaitUntilAsync(() => a.Node.Sections["mesh"].GetSnapshot().Peers[0].ProtocolErrors == 1, "the protocol error was counted");
        Assert.Equal(1, Observe(a, "stickpeer.peer.protocol_errors_by_kind", ("peer", "b"), ("kind", "update_rate_limit")));
        Assert.Equal(5, a.Node.Host.Invoke(() => a.Tables[0].Count)); // the burst was applied, nothing after it
    }

    [Fact]
    public async Task PendingAckWindow_PeerStopsAcking_PushesPause_Logged_Counted_ResumeOnAck()
    {
        var ports = FreePort.GetMany(2);
        using var logs = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        await using var a = MetricsNode.Start("a", Config(ports), loggers: loggers, limits: new PeerLimits { MaxUnackedUpdates = 3 });
        var ct = TestContext.Current.CancellationToken;
        using var peer = await RawPeer.ConnectAsync(ports[0], ct);
        await peer.EndLessonAsync(ct);

        a.Node.Host.Invoke(() =>
        {
            for (var i = 0; i < 10; i++)
            {
                a.Tables[0].Increment(Encoding.ASCII.GetBytes("user-" + i), StickDataType.Gpc0, 0, 1);
            }

            return 0;
        });

        var line = await logs.WaitForAsync((id, _) => id.Id == 2140, Patience);
        Assert.Contains("Peer b:", line, StringComparison.Ordinal);
        Assert.Contains("3 updates of table web", line, StringComparison.Ordinal);
        var table = a.Node.Host.Invoke(() => a.Node.Sections["mesh"].GetSnapshot().Peers[0].Tables[0]);
        Assert.Equal(3u, unchecked(table.LastPushed - table.Acked));
        Assert.Equal(3u, table.AckLag);
        Assert.Equal(3, Observe(a, "stickpeer.peer.ack_lag", ("peer", "b")));
        Assert.Equal(1, Observe(a, "stickpeer.peer.push_window_stalls", ("peer", "b")));

        // Each ACK of everything pushed opens the window again, until all ten changes (consecutive
        // ids: ten new keys) are out.
        var newest = unchecked(table.LastPushed + 7u);
        for (var round = 0; round < 10 && table.LastPushed != newest; round++)
        {
            var ack = new ArrayBufferWriter<byte>();
            PeerMessageWriter.WriteAck(ack, 1, table.LastPushed);
            await peer.Socket.SendAsync(ack.WrittenMemory, ct);
            var before = table.LastPushed;
            await a.WaitUntilAsync(() => a.Node.Sections["mesh"].GetSnapshot().Peers[0].Tables[0].LastPushed != before, "pushes resumed after the ACK");
            table = a.Node.Host.Invoke(() => a.Node.Sections["mesh"].GetSnapshot().Peers[0].Tables[0]);
        }

        Assert.Equal(newest, table.LastPushed);
        Assert.Equal(3, Observe(a, "stickpeer.peer.push_window_stalls", ("peer", "b"))); // after 3, 6 and 9 ids
        Assert.Equal(3, logs.Entries.Count(e => e.Id.Id == 2140));
        Assert.Equal(1, a.Node.Host.Invoke(() => a.Node.Sections["mesh"].GetSnapshot().Peers[0].SessionsEstablished));
    }

    private static string Config(int[] ports) => HostileMesh.Config(ports);

    private static long Observe(MetricsNode node, string instrument, params (string Name, string Value)[] tags) => node.Observe(instrument, tags);
}
