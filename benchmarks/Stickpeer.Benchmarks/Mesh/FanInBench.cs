// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Node.Composition;
using Stickpeer.Node.Configuration;
using Stickpeer.TestKit.Mesh;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Benchmarks.Mesh;

/// <summary>
/// <c>fanin [peers] [seconds] [updates/s] [ready-timeout-s]</c> (defaults 100, 60, 2000, 300): one node
/// ("hub") peered with <c>peers</c> others that each know only the hub, as HAProxy load balancers
/// sharing one Stickpeer node; every peer speaks the real protocol over TCP on 127.0.0.1 (they are
/// Stickpeer nodes in this process). The peers write a steady update rate between them; prints the
/// hub's sessions, the process's RSS and CPU (hub and peers together), and propagation latency from a
/// write on a peer to the hub and from a write on the hub to each peer.
/// </summary>
internal static class FanInBench
{
    private const string Section = LoopbackMesh.SectionName;
    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
        var rate = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2000;
        var readyTimeout = TimeSpan.FromSeconds(args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 300);
        var self = Process.GetCurrentProcess();
        Console.WriteLine($"fanin: 1 hub, {count} peers, {seconds} s steady phase at {rate} updates/s, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        var rss0 = LatencyStats.Rss(self);

        var ports = FreePort.GetMany(count + 1);
        var all = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            all.Append(CultureInfo.InvariantCulture, $"    peer p{i} 127.0.0.1:{ports[i + 1]}\n");
        }

        var started = Stopwatch.StartNew();
        var hub = Start("hub", $"    peer hub 127.0.0.1:{ports[0]}\n{all}");
        var peers = new List<MeshMember>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                peers.Add(Start("p" + i, $"    peer hub 127.0.0.1:{ports[0]}\n    peer p{i} 127.0.0.1:{ports[i + 1]}\n"));
            }

            while (started.Elapsed < readyTimeout && !(hub.Peers().Count(p => p.SessionState == Protocol.Session.PeerSessionState.Established) == count && hub.Synced() && peers.All(p => p.Synced())))
            {
                await Task.Delay(500);
            }

            var up = hub.Peers().Count(p => p.SessionState == Protocol.Session.PeerSessionState.Established);
            if (up < count)
            {
                Console.WriteLine($"not ready after {readyTimeout.TotalSeconds} s: {up} of {count} sessions on the hub");
                return;
            }

            Console.WriteLine($"hub up with {count} sessions ({count} TCP connections) in {started.Elapsed.TotalSeconds:F1} s");
            var established = hub.Peers().Sum(p => p.SessionsEstablished);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            var writes = Task.Run(() => WriteSteadilyAsync(peers, rate, stop.Token));
            var probes = Task.Run(() => ProbeAsync(hub, peers, stop.Token));

            Console.WriteLine($"{"t (s)",6} {"RSS MiB",9} {"CPU %",7} {"hub entries",12}");
            var cpuBefore = self.TotalProcessorTime;
            var wallBefore = Stopwatch.GetTimestamp();
            for (var t = 5; t <= seconds; t += 5)
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                self.Refresh();
                var percent = 100 * (self.TotalProcessorTime - cpuBefore).TotalSeconds / Stopwatch.GetElapsedTime(wallBefore).TotalSeconds;
                cpuBefore = self.TotalProcessorTime;
                wallBefore = Stopwatch.GetTimestamp();
                Console.WriteLine($"{t,6} {(LatencyStats.Rss(self) - rss0) / 1048576.0,9:F0} {percent,7:F0} {hub.Count,12}");
            }

            var written = await writes;
            var (toHub, toPeer, lost) = await probes;
            Console.WriteLine($"updates written: {written} ({written / (double)seconds:F0}/s); probes not everywhere within {s_probeTimeout.TotalSeconds} s: {lost}");
            Console.WriteLine($"peer -> hub (ms): p50 {LatencyStats.Percentile(toHub, 0.50):F1}, p99 {LatencyStats.Percentile(toHub, 0.99):F1}, max {LatencyStats.Percentile(toHub, 1):F1} ({toHub.Count} probes)");
            Console.WriteLine($"hub -> each peer (ms): p50 {LatencyStats.Percentile(toPeer, 0.50):F1}, p99 {LatencyStats.Percentile(toPeer, 0.99):F1}, max {LatencyStats.Percentile(toPeer, 1):F1} ({toPeer.Count} arrivals)");
            Console.WriteLine($"hub sessions lost during the run: {hub.Peers().Sum(p => p.SessionsEstablished) - established}");
        }
        finally
        {
            foreach (var m in peers.Prepend(hub))
            {
                await m.Node.Node.DisposeAsync();
            }
        }
    }

    private static MeshMember Start(string name, string peerLines)
    {
        var parser = new ConfigParser(_ => null);
        parser.ParseText("fanin.cfg", $"peers {Section}\n{peerLines}    table t type string len 32 size 1000000 expire 30m store gpc0\n");
        var built = NodeBuilder.Build(parser.Build(name, "host"), TimeProvider.System, NullLoggerFactory.Instance);
        built.Node.Start();
        return new MeshMember(name, built);
    }

    private static async Task<long> WriteSteadilyAsync(List<MeshMember> peers, int rate, CancellationToken stop)
    {
        // Batches every 10 ms, round-robin over the peers, 200 keys per peer (the tables stop growing early).
        long written = 0;
        var clock = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            for (var due = (long)(clock.Elapsed.TotalSeconds * rate); written < due; written++)
            {
                var m = peers[(int)(written % peers.Count)];
                m.Write($"{m.Name}-w{written / peers.Count % 200}", written);
            }

            try
            {
                await Task.Delay(10, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return written;
    }

    // A peer relays nothing it learned (as HAProxy: only local changes are pushed), so a write on one
    // peer reaches the hub only. Probes alternate: a peer writes and the hub is polled; the hub writes
    // and every peer is polled.
    private static async Task<(List<double> ToHub, List<double> ToPeer, int Lost)> ProbeAsync(MeshMember hub, List<MeshMember> peers, CancellationToken stop)
    {
        var toHub = new List<double>();
        var toPeer = new List<double>();
        var lost = 0;
        for (var seq = 0; !stop.IsCancellationRequested; seq++)
        {
            var fromHub = seq % 2 == 1;
            var writer = fromHub ? hub : peers[seq / 2 % peers.Count];
            var waiting = fromHub ? [.. peers] : new List<MeshMember> { hub };
            var into = fromHub ? toPeer : toHub;
            var key = "probe-" + seq.ToString(CultureInfo.InvariantCulture);
            var clock = Stopwatch.StartNew();
            writer.Write(key, seq);
            while (waiting.Count > 0 && clock.Elapsed < s_probeTimeout)
            {
                for (var i = waiting.Count - 1; i >= 0; i--)
                {
                    if (waiting[i].Read(key) == seq)
                    {
                        into.Add(clock.Elapsed.TotalMilliseconds);
                        waiting.RemoveAt(i);
                    }
                }

                if (waiting.Count > 0)
                {
                    await Task.Delay(1, CancellationToken.None);
                }
            }

            lost += waiting.Count > 0 ? 1 : 0;
            await Task.Delay(50, CancellationToken.None);
        }

        return (toHub, toPeer, lost);
    }
}
