// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Benchmarks.Session;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Replication;
using Stickpeer.Node.Transport;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.TestKit.Net;
using Stickpeer.TestKit.Transport;

namespace Stickpeer.Benchmarks.Sockets;

/// <summary>
/// <c>socket-pair [entries] [push/teach output bounds,...] [updates]</c>: two <see cref="StickpeerNode"/>s in
/// this process, joined by the real host over TCP 127.0.0.1 (same table as <c>resync-bench</c>);
/// <c>memory-pair</c> runs the same over TestKit's <see cref="InMemoryPeerTransport"/> (the host's
/// loop without the kernel's sockets). Measures the full resync of node b from node a (from b's start to b holding
/// every entry; no process start) with wire bytes per entry, then incremental propagation: local
/// increments on a (written under the node lock in chunks of 1 000, like traffic), until b holds
/// the last value. Repeated for each pair of <see cref="PeerNodeOptions.MaxPendingOutputBytes"/> / <see cref="PeerNodeOptions.MaxPendingTeachBytes"/> given.
/// </summary>
internal static class SocketPair
{
    public static async Task RunAsync(string[] args, bool inMemory = false)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        // Output bounds as PUSH[/TEACH] bytes (PeerNodeOptions.MaxPendingOutputBytes / MaxPendingTeachBytes).
        var pendings = (args.Length > 1 ? args[1] : "1024/65536").Split(',').Select(Bounds).ToArray();
        var updates = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 500_000;
        Console.WriteLine($"entries {n:N0}, stick-table {PairWorkload.StringDeclaration}, transport {(inMemory ? "in memory" : "TCP 127.0.0.1")}");
        // A small first round compiles the hot paths (a daemon starts cold; see resync-bench for that).
        await RunOneAsync(Math.Min(n, 100_000), pendings[0], Math.Min(updates, 100_000), "warm-up: ", inMemory);
        foreach (var pending in pendings)
        {
            await RunOneAsync(n, pending, updates, string.Empty, inMemory);
        }
    }

    private static (int Push, int Teach) Bounds(string text)
    {
        var parts = text.Split('/');
        var push = int.Parse(parts[0], CultureInfo.InvariantCulture);
        return (push, parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : new PeerNodeOptions { LocalPeerName = "x", RemotePeers = [] }.MaxPendingTeachBytes);
    }

    private static async Task RunOneAsync(int n, (int Push, int Teach) bounds, int updates, string label, bool inMemory)
    {
        // One in-memory network per round, shared by both nodes (null: the host's sockets).
        var transport = inMemory ? new InMemoryPeerTransport() : null;
        var ports = FreePort.GetMany(2);
        var config = string.Create(CultureInfo.InvariantCulture, $"""
            peers mesh
                peer a 127.0.0.1:{ports[0]}
                peer b 127.0.0.1:{ports[1]}
            backend bench
                stick-table {PairWorkload.StringDeclaration} peers mesh

            """);
        var (a, tableA) = Create(config, "a", transport, o => o with { LearnOnStartup = false, MaxPendingOutputBytes = bounds.Push, MaxPendingTeachBytes = bounds.Teach });
        await using var disposeA = a;
        PairWorkload.Fill(tableA, n);
        a.Start();

        var sw = Stopwatch.StartNew();
        var (b, tableB) = Create(config, "b", transport, o => o with { MaxPendingOutputBytes = bounds.Push, MaxPendingTeachBytes = bounds.Teach });
        await using var disposeB = b;
        b.Start();
        while (tableB.Count < n)
        {
            if (sw.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"b has {tableB.Count} of {n} entries");
            }

            await Task.Delay(1);
        }

        var resync = sw.Elapsed.TotalSeconds;

        // After the lesson a pushes its local changes from b's acknowledged position: for a fresh
        // peer that is every entry again (see docs/architecture.md). Let that drain before the
        // incremental measurement.
        var newest = tableA.NewestLocalUpdateId;
        while (a.Host.Invoke(() => a.Sections.Values.Single().GetSnapshot()).Peers.Single(p => p.Name == "b").Tables[0].Acked != newest)
        {
            if (sw.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException("b never acknowledged a's newest update");
            }

            await Task.Delay(5);
        }

        var drained = sw.Elapsed.TotalSeconds;
        var counters = b.Host.Invoke(() => b.Sections.Values.Single().GetSnapshot()).Peers.Single(p => p.Name == "a").SessionCounters!;
        var received = counters.BytesReceived;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}bounds push/teach {bounds.Push,5}/{bounds.Teach,-5} B: full resync {resync * 1000:F0} ms = {n / resync / 1e6:F2} M entries/s, {(double)received / n:F1} B/entry received by the learner at that point; post-lesson re-push acknowledged after {drained * 1000:F0} ms"));

        // Incremental: one increment per key (distinct keys spread over the table, so nothing
        // coalesces and every update is one message), written under a's node lock in chunks.
        var keys = new byte[Math.Min(updates, n)][];
        var next = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            next = (next + 7919) % n;
            keys[i] = Encoding.ASCII.GetBytes(PairWorkload.KeyText(next));
        }

        var before = counters.UpdatesReceived;
        var alloc = GC.GetTotalAllocatedBytes(precise: true);
        sw.Restart();
        const int Chunk = 1000;
        for (var done = 0; done < updates; done += Chunk)
        {
            var start = done;
            a.Host.Invoke(() =>
            {
                for (var i = start; i < Math.Min(updates, start + Chunk); i++)
                {
                    tableA.Increment(keys[i % keys.Length], StickDataType.Gpc0);
                }

                return 0;
            });
        }

        var produced = sw.Elapsed.TotalSeconds;
        var last = keys[(updates - 1) % keys.Length];
        tableA.TryGetValue(last, StickDataType.Gpc0, 0, out var expected);
        while (!tableB.TryGetValue(last, StickDataType.Gpc0, 0, out var seen) || seen != expected)
        {
            if (sw.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException("b never saw the last increment");
            }

            await Task.Delay(1);
        }

        var total = sw.Elapsed.TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - alloc;
        var messages = b.Host.Invoke(() => b.Sections.Values.Single().GetSnapshot()).Peers.Single(p => p.Name == "a").SessionCounters!.UpdatesReceived - before;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}bounds push/teach {bounds.Push,5}/{bounds.Teach,-5} B: incremental {updates:N0} local increments over {keys.Length:N0} keys in {total * 1000:F0} ms ({produced * 1000:F0} ms to write) = {updates / total / 1e3:F0} k updates/s propagated; {messages:N0} update messages received ({updates / (double)Math.Max(messages, 1):F1} increments coalesced per message), {(double)allocated / updates:F1} B/update allocated (both nodes)"));
    }

    /// <summary>The node and the engine table behind its single replica (kept from the factory, not cast back).</summary>
    private static (StickpeerNode Node, StickTable Table) Create(string configText, string local, InMemoryPeerTransport? transport, Func<PeerNodeOptions, PeerNodeOptions> tune)
    {
        var parser = new ConfigParser(_ => null);
        parser.ParseText("pair.cfg", configText);
        var config = parser.Build(local, "host");
        StickTable? table = null;
        var node = StickpeerNode.Create(
            config,
            d => new StickTableReplica(table = StickTable.Create(d.Declaration, d.LocalName, d.WireName)),
            TimeProvider.System,
            NullLoggerFactory.Instance,
            tuneOptions: tune,
            transport: transport);
        return (node, table ?? throw new InvalidOperationException("the configuration declares no table"));
    }
}
