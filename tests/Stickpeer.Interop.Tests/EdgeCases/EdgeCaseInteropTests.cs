// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Replication;
using Stickpeer.Node.Transport;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.TestKit.Daemon;
using Stickpeer.TestKit.Haproxy;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Interop.Tests.EdgeCases;

/// <summary>
/// Spec §11 edge cases against a real HAProxy (peer <c>hap</c>) and Stickpeer (peer <c>sp</c>): a table
/// whose key differs between the two configurations, expired entries, update ids wrapping past 2^32.
/// </summary>
[Trait("Category", "Interop")]
public sealed class EdgeCaseInteropTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static string Peers(int hapPort, int spPort, params string[] tables) =>
        $"peers mesh\n    peer hap 127.0.0.1:{hapPort}\n    peer sp 127.0.0.1:{spPort}\n" + string.Concat(tables.Select(t => "    " + t + "\n"));

    [Fact]
    public async Task TableWithOtherKeySize_IgnoredBothWays_WarningInStickpeerLog()
    {
        HaproxyUnderTest.RequireOrSkip();
        var ct = TestContext.Current.CancellationToken;
        var dir = Directory.CreateTempSubdirectory("stickpeer-edge-").FullName;
        try
        {
            var ports = FreePort.GetMany(2);
            const string ok = "table ok type string len 32 size 1k expire 5m store gpc0";
            var hapPeers = Peers(ports[0], ports[1], ok, "table t type string len 32 size 1k expire 5m store gpc0");
            var spPeers = Peers(ports[0], ports[1], ok, "table t type string len 16 size 1k expire 5m store gpc0");
            var socket = Path.Combine(dir, "sp.sock");
            var cfg = Path.Combine(dir, "sp.cfg");
            await File.WriteAllTextAsync(cfg, $"global\n    stats socket {socket} level admin\n\n{spPeers}", ct);
            await using var hap = await HaproxyProcess.StartAsync(new HaproxyOptions { LocalPeerName = "hap", Config = _ => HaproxyConfig.TcpDefaults + "\n" + hapPeers }, ct);
            await using var sp = DaemonProcess.Start("-f", cfg, "-L", "sp");
            await sp.WaitForCliAsync(socket, Wait, ct);

            await hap.Stats.SendAsync("set table mesh/t key from-hap data.gpc0 1", ct);
            await hap.Stats.SendAsync("set table mesh/ok key from-hap data.gpc0 1", ct);
            await UnixCli.SendAsync(socket, "set table mesh/t key from-sp data.gpc0 2", ct);
            await UnixCli.SendAsync(socket, "set table mesh/ok key from-sp data.gpc0 2", ct);

            // The matching table replicates both ways (the sessions work), then some more time for the other.
            await WaitAsync(async () => (await hap.Stats.SendAsync("show table mesh/ok", ct)).Contains("key=from-sp", StringComparison.Ordinal)
                && (await UnixCli.SendAsync(socket, "show table mesh/ok", ct)).Contains("key=from-hap", StringComparison.Ordinal), "mesh/ok did not replicate", ct);
            await Task.Delay(1500, ct);

            var hapT = await hap.Stats.SendAsync("show table mesh/t", ct);
            var spT = await UnixCli.SendAsync(socket, "show table mesh/t", ct);
            Assert.DoesNotContain("from-sp", hapT, StringComparison.Ordinal);
            Assert.Contains("key=from-hap", hapT, StringComparison.Ordinal);
            Assert.DoesNotContain("from-hap", spT, StringComparison.Ordinal);
            Assert.Contains("key=from-sp", spT, StringComparison.Ordinal);
            // Peers-section tables are named '/t' on the wire.
            Assert.True(sp.Output.Contains("Peer hap: table '/t' is defined there with key String size 33, here with key String size 17", StringComparison.Ordinal), sp.Output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task ExpiredEntries_ExpireOnBothSides_AreNotTaught_TaughtEntriesKeepTheTeachersLifetime()
    {
        HaproxyUnderTest.RequireOrSkip();
        var ct = TestContext.Current.CancellationToken;
        var dir = Directory.CreateTempSubdirectory("stickpeer-edge-").FullName;
        try
        {
            var ports = FreePort.GetMany(2);

            // 'short' expires after 3 s on both sides; 'long' lives 60 s on HAProxy but 1 h on Stickpeer.
            var hapPeers = Peers(ports[0], ports[1], "table short type string len 32 size 1k expire 3s store gpc0", "table long type string len 32 size 1k expire 60s store gpc0");
            var spPeers = Peers(ports[0], ports[1], "table short type string len 32 size 1k expire 3s store gpc0", "table long type string len 32 size 1k expire 1h store gpc0");
            var socket = Path.Combine(dir, "sp.sock");
            var cfg = Path.Combine(dir, "sp.cfg");
            await File.WriteAllTextAsync(cfg, $"global\n    stats socket {socket} level admin\n\n{spPeers}", ct);
            await using var hap = await HaproxyProcess.StartAsync(new HaproxyOptions { LocalPeerName = "hap", Config = _ => HaproxyConfig.TcpDefaults + "\n" + hapPeers }, ct);
            var sp = DaemonProcess.Start("-f", cfg, "-L", "sp");
            try
            {
                await sp.WaitForCliAsync(socket, Wait, ct);
                await hap.Stats.SendAsync("set table mesh/short key from-hap data.gpc0 1", ct);
                await hap.Stats.SendAsync("set table mesh/long key pushed data.gpc0 2", ct);
                await UnixCli.SendAsync(socket, "set table mesh/short key from-sp data.gpc0 3", ct);
                await UnixCli.SendAsync(socket, "set table mesh/long key relayed data.gpc0 4", ct);

                // Live (plain) updates: the receiver gives the entry its own table's lifetime (spec §11.17).
                await WaitAsync(
                    async () => Find(await UnixCli.SendAsync(socket, "show table mesh/short", ct), "from-hap") is { ExpireMs: > 0 and <= 3000 }
                        && Find(await hap.Stats.SendAsync("show table mesh/short", ct), "from-sp") is { ExpireMs: > 0 and <= 3000 }
                        && Find(await UnixCli.SendAsync(socket, "show table mesh/long", ct), "pushed") is { ExpireMs: > 60_000 }
                        && Find(await hap.Stats.SendAsync("show table mesh/long", ct), "relayed") is { ExpireMs: > 0 and <= 60_000 },
                    "live updates did not arrive with the receiver's lifetimes",
                    ct);

                // Both sides drop the short entries on their own timers (no deletes on the wire).
                await WaitAsync(
                    async () => Entries(await UnixCli.SendAsync(socket, "show table mesh/short", ct)) == 0
                        && Entries(await hap.Stats.SendAsync("show table mesh/short", ct)) == 0,
                    "short entries did not expire on both sides",
                    ct);
            }
            finally
            {
                await sp.DisposeAsync();
            }

            // A restarted Stickpeer learns from HAProxy: no expired entry comes back. 'relayed' is an entry
            // HAProxy learned, so it reaches us only in the lesson, as a timed update: it keeps HAProxy's
            // remaining lifetime, not Stickpeer's hour. ('pushed', HAProxy's own, is also re-pushed plain
            // after the lesson, as HAProxy does, and so gets our hour again.)
            await using var restarted = DaemonProcess.Start("-f", cfg, "-L", "sp");
            await restarted.WaitForCliAsync(socket, Wait, ct);
            await WaitAsync(async () => Find(await UnixCli.SendAsync(socket, "show table mesh/long", ct), "relayed") is not null, "the lesson did not arrive", ct);
            Assert.InRange(Find(await UnixCli.SendAsync(socket, "show table mesh/long", ct), "relayed")!.ExpireMs, 1, 60_000);
            Assert.NotNull(Find(await UnixCli.SendAsync(socket, "show table mesh/long", ct), "pushed"));
            Assert.Equal(0, Entries(await UnixCli.SendAsync(socket, "show table mesh/short", ct)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static TableEntryLine? Find(string showTable, string key) => TableDump.Parse(showTable).Single().Find(key);

    private static int Entries(string showTable) => TableDump.Parse(showTable).Single().Entries.Count;

    [Fact]
    public async Task UpdateIdsWrapPast2Pow32_ReplicationAndResumeAfterCut()
    {
        HaproxyUnderTest.RequireOrSkip();
        var ct = TestContext.Current.CancellationToken;
        var ports = FreePort.GetMany(2);
        await using var toSp = RecordingRelay.Start(ports[1]);
        await using var toHap = RecordingRelay.Start(ports[0]);
        const string table = "table t type string len 32 size 10k expire 10m store gpc0";
        var hapPeers = Peers(ports[0], toSp.Port, table);
        var spPeers = Peers(toHap.Port, ports[1], table);
        await using var hap = await HaproxyProcess.StartAsync(new HaproxyOptions { LocalPeerName = "hap", Config = _ => HaproxyConfig.TcpDefaults + "\n" + hapPeers }, ct);

        // An embedded node whose table starts its update ids 100 below the 32-bit wrap.
        var parser = new ConfigParser();
        parser.ParseText("sp.cfg", spPeers);
        var configuration = parser.Build("sp", "sp");
        StickTable? engine = null;
        await using var node = StickpeerNode.Create(
            configuration,
            d =>
            {
                engine = StickTable.Create(d.Declaration, d.LocalName, d.WireName, new StickTableOptions { InitialUpdateId = uint.MaxValue - 100 });
                return new StickTableReplica(engine);
            },
            TimeProvider.System,
            NullLoggerFactory.Instance);
        node.Start();
        var section = node.Sections["mesh"];
        await WaitAsync(() => Task.FromResult(node.Host.Invoke(() => section.GetSnapshot().Peers[0].SessionState == Protocol.Session.PeerSessionState.Established)), "no session", ct);

        void Write(int from, int to) => node.Host.Invoke(() =>
        {
            for (var i = from; i < to; i++)
            {
                engine!.Set(Encoding.ASCII.GetBytes("k" + i), [new DataAssignment(StickDataType.Gpc0, 0, i)]);
            }

            return 0;
        });

        Write(0, 150); // ids uint.MaxValue - 99 … 49: across the wrap
        await WaitForHaproxyAsync(hap, 150, ct);
        await WaitAsync(() => Task.FromResult(node.Host.Invoke(() => section.GetSnapshot().Peers[0].Tables[0].Acked == engine!.NewestLocalUpdateId)), "acks did not reach the newest id", ct);
        Assert.Equal(49u, engine!.NewestLocalUpdateId);

        // Cut the session, write more while it is down: the new session resumes after the acked (wrapped) id.
        toSp.RefuseNewConnections = toHap.RefuseNewConnections = true;
        toSp.CutAll();
        toHap.CutAll();
        Write(150, 300);
        toSp.RefuseNewConnections = toHap.RefuseNewConnections = false;
        await WaitForHaproxyAsync(hap, 300, ct);

        await hap.Stats.SendAsync("set table mesh/t key from-hap data.gpc0 5", ct);
        await WaitAsync(() => Task.FromResult(node.Host.Invoke(() => engine!.TryGetValue("from-hap"u8, StickDataType.Gpc0, 0, out var v) && v == 5)), "HAProxy's update did not arrive", ct);
        var peer = node.Host.Invoke(() => section.GetSnapshot().Peers[0]);
        Assert.Equal(0, peer.ImpossibleAcks);
        Assert.True(peer.SessionsEstablished >= 2, $"{peer.SessionsEstablished} sessions");
    }

    private static async Task WaitForHaproxyAsync(HaproxyProcess hap, int count, CancellationToken ct)
    {
        IReadOnlyList<TableEntryLine> entries = [];
        await WaitAsync(
            async () =>
            {
                entries = TableDump.Parse(await hap.Stats.SendAsync("show table mesh/t", ct)).Single().Entries;
                return entries.Count(e => e.Key.StartsWith('k')) == count;
            },
            $"HAProxy does not hold {count} entries",
            ct);
        foreach (var e in entries.Where(e => e.Key.StartsWith('k')))
        {
            Assert.Equal(e.Key[1..], e["gpc0"]);
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string failure, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + Wait;
        for (var i = 0; i < 1000; i++)
        {
            if (await condition())
            {
                return;
            }

            if (DateTime.UtcNow >= deadline)
            {
                break;
            }

            await Task.Delay(100, ct);
        }

        Assert.Fail(failure + string.Create(CultureInfo.InvariantCulture, $" within {Wait.TotalSeconds} s"));
    }
}
