// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Stickpeer.TestKit.Haproxy;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Interop.Tests.Scenario;

/// <summary>
/// Two HAProxy nodes a and b whose peer connections both go through recording relays:
/// a is populated, b starts and learns a full resync, then both change entries live, a bulk
/// of entries is written in one prompt session, traffic through a's frontend fills array,
/// binary-key and <c>stick on</c> (server_key) tables, and the session idles long enough
/// for heartbeats. Returns every recorded direction and both nodes' <c>show table</c>.
/// </summary>
internal static class RecordingScenario
{
    public const int BulkCount = 300;

    public static async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var ports = FreePort.GetMany(3);
        int aPort = ports[0], bPort = ports[1], fePort = ports[2];
        await using var echo = new EchoServer();
        await using var toA = RecordingRelay.Start(aPort);
        await using var toB = RecordingRelay.Start(bPort);

        var aConfig = ScenarioConfig.Build([("a", aPort), ("b", toB.Port)], echo.Port, fePort);
        var bConfig = ScenarioConfig.Build([("a", toA.Port), ("b", bPort)], echo.Port, null);

        await using var a = await HaproxyProcess.StartAsync(new HaproxyOptions { LocalPeerName = "a", Config = _ => aConfig }, cancellationToken);
        await SetAsync(a, ScenarioEntries.BeforeResync, cancellationToken);
        var sources = await DriveTrafficAsync(fePort, 5, cancellationToken);

        await using var b = await HaproxyProcess.StartAsync(new HaproxyOptions { LocalPeerName = "b", Config = _ => bConfig }, cancellationToken);
        var nodes = new Dictionary<string, HaproxyProcess> { ["a"] = a, ["b"] = b };
        await WaitConvergedAsync(a, b, TimeSpan.FromSeconds(20), cancellationToken);

        await SetAsync(b, ScenarioEntries.AfterResync.Where(e => e.Node == "b"), cancellationToken);
        await SetAsync(a, ScenarioEntries.AfterResync.Where(e => e.Node == "a"), cancellationToken);
        await using (var prompt = await a.Stats.OpenPromptAsync(cancellationToken))
        {
            await prompt.SetTableManyAsync("mypeers/bulk", ScenarioEntries.Bulk(BulkCount).Select(e => (e.Key, e.Data)), cancellationToken);
        }

        sources.AddRange(await DriveTrafficAsync(fePort, 2, cancellationToken, firstHost: 20));
        await WaitConvergedAsync(a, b, TimeSpan.FromSeconds(20), cancellationToken);

        // Idle long enough for both sides to send heartbeats (3 s).
        await Task.Delay(TimeSpan.FromSeconds(3.6), cancellationToken);

        // Cut the session, change entries while disconnected, and let HAProxy reconnect
        // (its reconnect timer is 5 s): the new session resumes pushing after the last ACK.
        var before = toA.Connections.Count + toB.Connections.Count;
        toA.CutAll();
        toB.CutAll();
        await SetAsync(a, ScenarioEntries.WhileDisconnected, cancellationToken);
        await WaitForNewSessionAsync(toA, toB, before, TimeSpan.FromSeconds(20), cancellationToken);
        await WaitConvergedAsync(a, b, TimeSpan.FromSeconds(20), cancellationToken);
        await WaitValueAsync(b, ScenarioEntries.WhileDisconnected[^1], TimeSpan.FromSeconds(20), cancellationToken);

        var tables = new Dictionary<string, IReadOnlyList<TableDump>>();
        foreach (var (name, node) in nodes)
        {
            tables[name] = await DumpAllAsync(node, cancellationToken);
        }

        var snapshotAt = DateTimeOffset.UtcNow;
        var configs = nodes.ToDictionary(n => n.Key, n => n.Value.ConfigText);
        await b.KillAsync();
        await a.KillAsync();

        var directions = new List<RecordedDirection>();
        foreach (var (relay, name, target, other) in new[] { (toA, "to-a", "a", "b"), (toB, "to-b", "b", "a") })
        {
            foreach (var c in relay.Connections)
            {
                await Task.WhenAny(c.Completion, Task.Delay(2000, cancellationToken));
                if (c.ClientToServer.TotalBytes > 0)
                {
                    directions.Add(new RecordedDirection(name, c.Id, other, target, true, c.ClientToServer.Chunks));
                }

                if (c.ServerToClient.TotalBytes > 0)
                {
                    directions.Add(new RecordedDirection(name, c.Id, target, other, false, c.ServerToClient.Chunks));
                }
            }
        }

        var entries = ScenarioEntries.BeforeResync.Concat(ScenarioEntries.AfterResync).Concat(ScenarioEntries.Bulk(BulkCount))
            .Concat(ScenarioEntries.WhileDisconnected).ToArray();
        return new ScenarioResult(directions, tables, configs, entries, sources, snapshotAt, HaproxyAvailability.VersionLine ?? "unknown");
    }

    private static async Task SetAsync(HaproxyProcess node, IEnumerable<ScenarioEntry> entries, CancellationToken cancellationToken)
    {
        foreach (var e in entries)
        {
            await node.Stats.SetTableAsync(e.Table, e.Key, e.Data, cancellationToken);
        }
    }

    private static async Task<IReadOnlyList<TableDump>> DumpAllAsync(HaproxyProcess node, CancellationToken cancellationToken)
    {
        var result = new List<TableDump>();
        foreach (var header in await node.Stats.ShowTablesAsync(cancellationToken))
        {
            result.Add(await node.Stats.ShowTableAsync(header.Name, cancellationToken));
        }

        return result;
    }

    /// <summary>Opens one connection from each of 127.0.0.(firstHost..) through a's frontend, sending 8 bytes.</summary>
    private static async Task<List<string>> DriveTrafficAsync(int port, int count, CancellationToken cancellationToken, int firstHost = 2)
    {
        var sources = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var source = IPAddress.Parse($"127.0.0.{firstHost + i}");
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            var payload = Encoding.ASCII.GetBytes($"PAYLD{i:D3}");
            await socket.SendAsync(payload, SocketFlags.None, cancellationToken);
            var buffer = new byte[64];
            var got = 0;
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(TimeSpan.FromSeconds(5));
            while (got < payload.Length)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(got), SocketFlags.None, cts.Token);
                if (n == 0)
                {
                    break;
                }

                got += n;
            }

            socket.Shutdown(SocketShutdown.Both);
            sources.Add(source.ToString());
        }

        return sources;
    }

    /// <summary>Waits (bounded) until a relay has carried bytes of a session opened after <paramref name="before"/> connections.</summary>
    private static async Task WaitForNewSessionAsync(RecordingRelay toA, RecordingRelay toB, int before, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            var established = toA.Connections.Concat(toB.Connections)
                .Any(c => !c.WasCut && c.ServerToClient.TotalBytes > 4);
            if (toA.Connections.Count + toB.Connections.Count > before && established)
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException("HAProxy did not reconnect after the cut");
    }

    /// <summary>Waits (bounded) until <paramref name="node"/> shows the values of <paramref name="entry"/>.</summary>
    private static async Task WaitValueAsync(HaproxyProcess node, ScenarioEntry entry, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            var line = (await node.Stats.ShowTableAsync(entry.Table, cancellationToken)).Find(entry.Key);
            if (line is not null && entry.Data.All(d => line[d.Name] == d.Value))
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"{node.LocalPeerName} never showed {entry.Table} {entry.Key}");
    }

    /// <summary>Waits (bounded) until every table has the same entries on both nodes.</summary>
    private static async Task WaitConvergedAsync(HaproxyProcess a, HaproxyProcess b, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        string last = string.Empty;
        while (watch.Elapsed < timeout)
        {
            var ta = await DumpAllAsync(a, cancellationToken);
            var tb = await DumpAllAsync(b, cancellationToken);
            last = Describe(ta) + " vs " + Describe(tb);
            if (Describe(ta) == Describe(tb))
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException("nodes did not converge: " + last + "\na:\n" + a.Output + "\nb:\n" + b.Output);
    }

    private static string Describe(IReadOnlyList<TableDump> tables) =>
        string.Join(';', tables.OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => t.Name + ":" + string.Join(',', t.Entries.Select(e => e.Key).Order(StringComparer.Ordinal))));
}
