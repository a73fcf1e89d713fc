// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Benchmarks.Mesh;
using Stickpeer.Node.Composition;
using Stickpeer.Node.Configuration;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Benchmarks.Aggregation;

/// <summary>
/// <c>aggregation-latency [seconds] [updates/s] [edges]</c> (defaults 20, 50000, 4): one aggregator and
/// <c>edges</c> edge nodes standing in for HAProxy (each pushes its <c>local</c> table to the aggregator
/// only, and learns <c>global</c> from it), all real nodes in this process over TCP on 127.0.0.1. The
/// edges count requests at a steady total rate over 1 000 keys; every 20 ms a probe request on one
/// edge (a fresh key) is timed until every edge holds the new sum in <c>global</c> (polled about
/// every millisecond, so ±1 ms). Prints p50/p99/max and the process's CPU.
/// </summary>
internal static class AggregationBench
{
    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000;
        var edges = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
        Console.WriteLine($"aggregation-latency: 1 aggregator + {edges} edges, {seconds} s at {rate} updates/s, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        var ports = FreePort.GetMany(edges + 1);
        var names = Enumerable.Range(1, edges).Select(i => "e" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        const string Tables = """
                table local type string len 32 size 200k expire 1m store http_req_cnt,http_req_rate(10s)
                table global type string len 32 size 200k expire 1m store http_req_cnt,http_req_rate(10s)

            """;
        var aggregatorConfig = "peers agg\n    peer agg 127.0.0.1:" + ports[0] + "\n"
            + string.Concat(names.Select((n, i) => $"    peer {n} 127.0.0.1:{ports[i + 1]}\n"))
            + Tables + "    #@stickpeer aggregate global from local\n";
        var nodes = new List<BuiltNode> { Build(aggregatorConfig, "agg") };
        for (var i = 0; i < edges; i++)
        {
            nodes.Add(Build($"peers agg\n    peer agg 127.0.0.1:{ports[0]}\n    peer {names[i]} 127.0.0.1:{ports[i + 1]}\n{Tables}", names[i]));
        }

        try
        {
            nodes.ForEach(n => n.Node.Start());
            var edgeNodes = nodes.Skip(1).Select(n => new Edge(n)).ToArray();
            if (await ProbeOnceAsync(edgeNodes, 0, "warm-up", TimeSpan.FromSeconds(30)) is null)
            {
                Console.WriteLine("the star did not form within 30 s");
                return;
            }

            var self = Process.GetCurrentProcess();
            var cpu0 = self.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            var writes = Task.Run(() => WriteSteadilyAsync(edgeNodes, rate, stop.Token));
            var latencies = new List<double>();
            var lost = 0;
            for (var seq = 0; !stop.IsCancellationRequested; seq++)
            {
                var ms = await ProbeOnceAsync(edgeNodes, seq % edges, "probe-" + seq.ToString(CultureInfo.InvariantCulture), s_probeTimeout);
                if (ms is { } v)
                {
                    latencies.Add(v);
                }
                else
                {
                    lost++;
                }

                await Task.Delay(20, CancellationToken.None);
            }

            var written = await writes;
            self.Refresh();
            var cpu = 100 * (self.TotalProcessorTime - cpu0).TotalSeconds / wall.Elapsed.TotalSeconds;
            var rule = nodes[0].Aggregation!.Rules[0];
            Console.WriteLine($"updates written: {written} ({written / wall.Elapsed.TotalSeconds:F0}/s); aggregator: {rule.ContributionsReceived} contributions, {rule.Recomputes} recomputes; process CPU {cpu:F0} % of one core");
            Console.WriteLine($"request on one edge -> new sum on every edge (ms): p50 {LatencyStats.Percentile(latencies, 0.50):F1}, p99 {LatencyStats.Percentile(latencies, 0.99):F1}, max {LatencyStats.Percentile(latencies, 1):F1} ({latencies.Count} probes, {lost} not seen within {s_probeTimeout.TotalSeconds} s)");
        }
        finally
        {
            foreach (var n in nodes)
            {
                await n.Node.DisposeAsync();
            }
        }
    }

    private static BuiltNode Build(string config, string local)
    {
        var parser = new ConfigParser(_ => null);
        parser.ParseText(local + ".cfg", config);
        return NodeBuilder.Build(parser.Build(local, "host"), TimeProvider.System, NullLoggerFactory.Instance);
    }

    /// <summary>One request on edge <paramref name="writer"/> for a fresh key; the time until every edge's global shows it.</summary>
    private static async Task<double?> ProbeOnceAsync(Edge[] edges, int writer, string key, TimeSpan timeout)
    {
        var bytes = Encoding.ASCII.GetBytes(key);
        var waiting = edges.ToList();
        var clock = Stopwatch.StartNew();
        edges[writer].Request(bytes);
        while (waiting.Count > 0 && clock.Elapsed < timeout)
        {
            waiting.RemoveAll(e => e.GlobalCount(bytes) >= 1);
            if (waiting.Count > 0)
            {
                await Task.Delay(1, CancellationToken.None);
            }
        }

        return waiting.Count == 0 ? clock.Elapsed.TotalMilliseconds : null;
    }

    private static async Task<long> WriteSteadilyAsync(Edge[] edges, int rate, CancellationToken stop)
    {
        // Batches every 5 ms, round-robin over the edges, 1 000 keys shared by all edges (so every
        // key has a contribution from each edge, as a per-client rate limit would).
        long written = 0;
        var keys = Enumerable.Range(0, 1000).Select(i => Encoding.ASCII.GetBytes("w" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
        var clock = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * rate);
            for (var e = 0; e < edges.Length && written < due; e++)
            {
                var n = (int)Math.Min(due - written, (due - written + edges.Length - 1) / edges.Length);
                var start = written;
                edges[e].Requests(keys, start, n);
                written += n;
            }

            try
            {
                await Task.Delay(5, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return written;
    }

    private sealed class Edge(BuiltNode node)
    {
        private readonly StickTable _local = node.Tables.Single(t => t.Name == "agg/local");
        private readonly StickTable _global = node.Tables.Single(t => t.Name == "agg/global");

        public void Request(byte[] key) => node.Node.Host.Invoke(() => _local.Increment(key, StickDataType.HttpReqCnt));

        public void Requests(byte[][] keys, long start, int count) => node.Node.Host.Invoke(() =>
        {
            for (var i = 0; i < count; i++)
            {
                _local.Increment(keys[(start + i) % keys.Length], StickDataType.HttpReqCnt);
            }

            return 0;
        });

        public long GlobalCount(byte[] key) => node.Node.Host.Invoke(() => _global.TryGetValue(key, StickDataType.HttpReqCnt, 0, out var v) ? v : 0);
    }
}
