// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using Stickpeer.TestKit.Mesh;

namespace Stickpeer.Benchmarks.Mesh;

/// <summary>
/// <c>mesh [nodes] [seconds] [updates/s] [ready-timeout-s]</c> (defaults 100, 60, 2000, 300): a full mesh of real nodes in
/// this process over TCP on 127.0.0.1, every node writing its share of a steady update rate.
/// Prints connections, the process's RSS and CPU over time (per node), propagation latency from
/// a write on one node to each other node (probe keys written every 50 ms, polled every ~1 ms,
/// so ±1 ms), and session flaps after the mesh was whole.
/// </summary>
internal static class MeshBench
{
    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(string[] args)
    {
        var nodes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
        var rate = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2000;
        var readyTimeoutSeconds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 300;
        var self = Process.GetCurrentProcess();
        Console.WriteLine($"mesh: {nodes} nodes, {seconds} s steady phase at {rate} updates/s, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        var rss0 = LatencyStats.Rss(self);

        var started = Stopwatch.StartNew();
        await using var mesh = await LoopbackMesh.StartAsync(nodes);
        if (!await mesh.WaitReadyAsync(TimeSpan.FromSeconds(readyTimeoutSeconds), progress: n => Console.WriteLine($"  {started.Elapsed.TotalSeconds,5:F0} s: {n} of {mesh.FullSessions} sessions established")))
        {
            Console.WriteLine($"not ready after {readyTimeoutSeconds} s: {mesh.EstablishedSessions()} of {mesh.FullSessions} sessions, {mesh.Members.Count(m => m.Synced())} nodes synced");
            var peers = mesh.Members.SelectMany(m => m.Peers()).ToList();
            foreach (var group in peers.GroupBy(p => (p.SessionState, p.LastStatusName)))
            {
                Console.WriteLine($"  {group.Count()} peers: state {group.Key.SessionState?.ToString() ?? "none"}, last status {group.Key.LastStatusName}, {group.Sum(p => p.ConnectAttempts)} attempts");
            }

            Console.WriteLine($"  sessions ended by: dead-peer timeout {peers.Sum(p => p.DeadPeerTimeouts)}, collision {peers.Sum(p => p.Collisions)}, protocol error {peers.Sum(p => p.ProtocolErrors)}");

            return;
        }

        Console.WriteLine($"mesh whole and synced in {started.Elapsed.TotalSeconds:F1} s: {mesh.FullSessions} sessions, {mesh.FullSessions * 2} TCP connections");
        var established = mesh.SessionsEverEstablished();

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var writes = Task.Run(() => WriteSteadilyAsync(mesh, rate, stop.Token));
        var probes = Task.Run(() => ProbeAsync(mesh, stop.Token));

        Console.WriteLine($"{"t (s)",6} {"RSS MiB",9} {"RSS/node KiB",13} {"CPU %",7} {"CPU/node %",11} {"entries/node",13}");
        var cpuBefore = self.TotalProcessorTime;
        var wallBefore = Stopwatch.GetTimestamp();
        for (var t = 5; t <= seconds; t += 5)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            self.Refresh();
            var cpu = self.TotalProcessorTime;
            var wall = Stopwatch.GetElapsedTime(wallBefore);
            var percent = 100 * (cpu - cpuBefore).TotalSeconds / wall.TotalSeconds;
            cpuBefore = cpu;
            wallBefore = Stopwatch.GetTimestamp();
            var rss = LatencyStats.Rss(self) - rss0;
            Console.WriteLine($"{t,6} {rss / 1048576.0,9:F0} {rss / 1024.0 / nodes,13:F0} {percent,7:F0} {percent / nodes,11:F2} {mesh.Members[0].Count,13}");
        }

        var written = await writes;
        var (arrivals, lastArrivals, lost) = await probes;
        Console.WriteLine($"updates written: {written} ({written / (double)seconds:F0}/s); probes: {lastArrivals.Count} (not seen everywhere within {s_probeTimeout.TotalSeconds} s: {lost})");
        Console.WriteLine($"propagation to each node (ms): p50 {LatencyStats.Percentile(arrivals, 0.50):F1}, p99 {LatencyStats.Percentile(arrivals, 0.99):F1}, max {LatencyStats.Percentile(arrivals, 1):F1} ({arrivals.Count} arrivals)");
        Console.WriteLine($"propagation to every node (ms): p50 {LatencyStats.Percentile(lastArrivals, 0.50):F1}, p99 {LatencyStats.Percentile(lastArrivals, 0.99):F1}, max {LatencyStats.Percentile(lastArrivals, 1):F1}");
        Console.WriteLine($"sessions lost after the mesh was whole: {(mesh.SessionsEverEstablished() - established) / 2}; established now: {mesh.EstablishedSessions()} of {mesh.FullSessions}");
    }

    private static async Task<long> WriteSteadilyAsync(LoopbackMesh mesh, int rate, CancellationToken stop)
    {
        // Batches every 10 ms, round-robin over the nodes, over a pool of 200 keys per node (so the
        // tables stop growing early and memory should then stay flat).
        long written = 0;
        var clock = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * rate);
            for (; written < due; written++)
            {
                var m = mesh.Members[(int)(written % mesh.Members.Count)];
                m.Write($"{m.Name}-w{written / mesh.Members.Count % 200}", written);
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

    private static async Task<(List<double> Arrivals, List<double> Last, int Lost)> ProbeAsync(LoopbackMesh mesh, CancellationToken stop)
    {
        var arrivals = new List<double>();
        var last = new List<double>();
        var lost = 0;
        for (var seq = 0; !stop.IsCancellationRequested; seq++)
        {
            var writer = mesh.Members[seq % mesh.Members.Count];
            var key = "probe-" + seq.ToString(CultureInfo.InvariantCulture);
            var waiting = mesh.Members.Where(m => m != writer).ToList();
            var clock = Stopwatch.StartNew();
            writer.Write(key, seq);
            while (waiting.Count > 0 && clock.Elapsed < s_probeTimeout)
            {
                for (var i = waiting.Count - 1; i >= 0; i--)
                {
                    if (waiting[i].Read(key) == seq)
                    {
                        arrivals.Add(clock.Elapsed.TotalMilliseconds);
                        waiting.RemoveAt(i);
                    }
                }

                if (waiting.Count > 0)
                {
                    await Task.Delay(1, CancellationToken.None);
                }
            }

            if (waiting.Count > 0)
            {
                lost++;
            }
            else
            {
                last.Add(clock.Elapsed.TotalMilliseconds);
            }

            await Task.Delay(50, CancellationToken.None);
        }

        return (arrivals, last, lost);
    }
}
