// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using Stickpeer.TestKit.Mesh;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Benchmarks.Mesh;

/// <summary>
/// <c>fanin [peers] [seconds] [updates/s] [ready-timeout-s]</c> (defaults 100, 60, 2000, 300): one node
/// ("hub") peered with <c>peers</c> others that each know only the hub, as HAProxy load balancers
/// sharing one Stickpeer node; every peer speaks the real protocol over TCP on 127.0.0.1. The hub runs
/// in a process of its own (<see cref="FanInHub"/>), the peers in this one, so the hub's CPU and RSS
/// are its own. The peers write a steady update rate between them; prints the hub's sessions, CPU and
/// RSS of the hub process and of the peers' process, and propagation latency from a write on a peer
/// to the hub and from a write on the hub to each peer.
/// </summary>
internal static class FanInBench
{
    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
        var rate = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2000;
        var readyTimeout = TimeSpan.FromSeconds(args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 300);
        var self = Process.GetCurrentProcess();
        Console.WriteLine($"fanin: 1 hub (own process), {count} peers (this process), {seconds} s steady phase at {rate} updates/s, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load {Load()}");
        var rss0 = LatencyStats.Rss(self);

        var ports = FreePort.GetMany(count + 1);
        var started = Stopwatch.StartNew();
        await using var hub = await HubProcess.StartAsync(ports[0], ports.Skip(1));
        var hubRss0 = hub.Usage().Rss;
        var peers = new List<MeshMember>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                peers.Add(FanInHub.Start("p" + i, $"    peer hub 127.0.0.1:{ports[0]}\n    peer p{i} 127.0.0.1:{ports[i + 1]}\n"));
            }

            var status = await hub.StatusAsync();
            while (started.Elapsed < readyTimeout && !(status.Up == count && status.Synced && peers.All(p => p.Synced())))
            {
                await Task.Delay(500);
                status = await hub.StatusAsync();
            }

            if (status.Up < count)
            {
                Console.WriteLine($"not ready after {readyTimeout.TotalSeconds} s: {status.Up} of {count} sessions on the hub");
                return;
            }

            Console.WriteLine($"hub up with {count} sessions ({count} TCP connections) in {started.Elapsed.TotalSeconds:F1} s; hub RSS {hub.Usage().Rss / 1048576.0:F0} MiB (at start {hubRss0 / 1048576.0:F0})");
            var established = status.Established;
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            var writes = Task.Run(() => WriteSteadilyAsync(peers, rate, stop.Token));
            var probes = Task.Run(() => ProbeAsync(hub, peers, stop.Token));

            Console.WriteLine($"{"t (s)",6} {"hub CPU %",10} {"hub RSS MiB",12} {"peers CPU %",12} {"peers RSS MiB",14} {"hub entries",12}");
            var hubCpu = new List<double>();
            var (hubCpuBefore, _) = hub.Usage();
            var cpuBefore = self.TotalProcessorTime;
            var wallBefore = Stopwatch.GetTimestamp();
            for (var t = 5; t <= seconds; t += 5)
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                self.Refresh();
                var (hubCpuNow, hubRss) = hub.Usage();
                var wall = Stopwatch.GetElapsedTime(wallBefore).TotalSeconds;
                var percent = 100 * (self.TotalProcessorTime - cpuBefore).TotalSeconds / wall;
                var hubPercent = 100 * (hubCpuNow - hubCpuBefore).TotalSeconds / wall;
                hubCpu.Add(hubPercent);
                (hubCpuBefore, cpuBefore, wallBefore) = (hubCpuNow, self.TotalProcessorTime, Stopwatch.GetTimestamp());
                Console.WriteLine($"{t,6} {hubPercent,10:F1} {hubRss / 1048576.0,12:F0} {percent,12:F0} {(LatencyStats.Rss(self) - rss0) / 1048576.0,14:F0} {(await hub.StatusAsync()).Count,12}");
            }

            var written = await writes;
            var (toHub, toPeer, lost) = await probes;
            Console.WriteLine($"hub CPU over the steady phase: mean {hubCpu.Average():F1} %, max {hubCpu.Max():F1} % of one core; load {Load()}");
            Console.WriteLine($"updates written: {written} ({written / (double)seconds:F0}/s); probes not everywhere within {s_probeTimeout.TotalSeconds} s: {lost}");
            Console.WriteLine($"peer -> hub (ms): p50 {LatencyStats.Percentile(toHub, 0.50):F1}, p99 {LatencyStats.Percentile(toHub, 0.99):F1}, max {LatencyStats.Percentile(toHub, 1):F1} ({toHub.Count} probes)");
            Console.WriteLine($"hub -> each peer (ms): p50 {LatencyStats.Percentile(toPeer, 0.50):F1}, p99 {LatencyStats.Percentile(toPeer, 0.99):F1}, max {LatencyStats.Percentile(toPeer, 1):F1} ({toPeer.Count} arrivals)");
            Console.WriteLine($"hub sessions lost during the run: {(await hub.StatusAsync()).Established - established}");
        }
        finally
        {
            foreach (var m in peers)
            {
                await m.Node.Node.DisposeAsync();
            }
        }
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

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
    // peer reaches the hub only. Probes alternate: a peer writes and the hub process polls its table;
    // the hub writes and every peer is polled here. Both sides time with the system's monotonic clock.
    private static async Task<(List<double> ToHub, List<double> ToPeer, int Lost)> ProbeAsync(HubProcess hub, List<MeshMember> peers, CancellationToken stop)
    {
        var toHub = new List<double>();
        var toPeer = new List<double>();
        var lost = 0;
        for (var seq = 0; !stop.IsCancellationRequested; seq++)
        {
            var key = "probe-" + seq.ToString(CultureInfo.InvariantCulture);
            if (seq % 2 == 0)
            {
                var start = Stopwatch.GetTimestamp();
                peers[seq / 2 % peers.Count].Write(key, seq);
                var seen = await hub.AskAsync($"await {key} {seq} {(int)s_probeTimeout.TotalMilliseconds}");
                if (seen == "lost")
                {
                    lost++;
                }
                else
                {
                    toHub.Add(Stopwatch.GetElapsedTime(start, long.Parse(seen, CultureInfo.InvariantCulture)).TotalMilliseconds);
                }
            }
            else
            {
                var start = long.Parse(await hub.AskAsync($"write {key} {seq}"), CultureInfo.InvariantCulture);
                var waiting = new List<MeshMember>(peers);
                while (waiting.Count > 0 && Stopwatch.GetElapsedTime(start) < s_probeTimeout)
                {
                    for (var i = waiting.Count - 1; i >= 0; i--)
                    {
                        if (waiting[i].Read(key) == seq)
                        {
                            toPeer.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                            waiting.RemoveAt(i);
                        }
                    }

                    if (waiting.Count > 0)
                    {
                        await Task.Delay(1, CancellationToken.None);
                    }
                }

                lost += waiting.Count > 0 ? 1 : 0;
            }

            await Task.Delay(50, CancellationToken.None);
        }

        return (toHub, toPeer, lost);
    }
}
