// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Node.Persistence;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Benchmarks.Persistence;

/// <summary>
/// Not a BDN benchmark (it measures disks and fsync, not CPU loops):
/// <c>dotnet run -c Release --project benchmarks/Stickpeer.Benchmarks -- persistence-bench [dir] [entries]</c>.
/// 1. Update throughput with persistence off / never / every 1s / always: raw table updates (one
///    writer, nobody waits for the disk), and acknowledged updates (each writer waits until its change
///    is as durable as the policy promises before the next one, as a CLI client or an ACK does),
///    with 1 and 16 writers.
/// 2. Bytes written per update (log), snapshot size, and the time to load N entries (default 1 000 000)
///    from logs only and from a snapshot.
/// </summary>
internal static class PersistenceBench
{
    private static readonly TimeSpan s_phase = TimeSpan.FromSeconds(3);

    public static async Task RunAsync(string[] args)
    {
        var root = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "stickpeer-persistence-bench");
        var entries = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        Directory.CreateDirectory(root);
        Console.WriteLine($"data under {root} ({new DriveInfo(root).DriveFormat}), {Environment.ProcessorCount} cores");
        Console.WriteLine();
        foreach (var (_, options) in Policies(root))
        {
            await ThroughputAsync(options, writers: 1, waitDurable: false); // warm-up: JIT, page cache, files
        }

        Console.WriteLine("| policy | raw updates/s (1 writer) | acknowledged updates/s, 1 writer | acknowledged updates/s, 16 writers | log bytes/update |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (name, options) in Policies(root))
        {
            var raw = await ThroughputAsync(options, writers: 1, waitDurable: false);
            var ack1 = await ThroughputAsync(options, writers: 1, waitDurable: true);
            var ack16 = await ThroughputAsync(options, writers: 16, waitDurable: true);
            Console.WriteLine($"| {name} | {raw.PerSecond:N0} | {ack1.PerSecond:N0} | {ack16.PerSecond:N0} | {(raw.LogBytes > 0 ? (raw.LogBytes / (double)raw.Updates).ToString("N1", CultureInfo.InvariantCulture) : "-")} |");
        }

        Console.WriteLine();
        await LoadTimeAsync(Path.Combine(root, "load"), entries);
    }

    private static IEnumerable<(string Name, PersistenceOptions? Options)> Policies(string root)
    {
        yield return ("off", null);
        yield return ("never", new PersistenceOptions { DataDirectory = Path.Combine(root, "never"), Fsync = FsyncMode.Never });
        yield return ("every 1s", new PersistenceOptions { DataDirectory = Path.Combine(root, "every"), Fsync = FsyncMode.Every });
        yield return ("always", new PersistenceOptions { DataDirectory = Path.Combine(root, "always"), Fsync = FsyncMode.Always });
    }

    private static StickTable NewTable(long size) =>
        new("bench/t", new TableSchema("/t", StickKeyType.String, 32, 600_000,
            [new DataTypeSpec(StickDataType.Gpc0, 1, 0), new DataTypeSpec(StickDataType.HttpReqRate, 1, 10_000)]), size);

    private static async Task<(double PerSecond, long Updates, long LogBytes)> ThroughputAsync(PersistenceOptions? options, int writers, bool waitDurable)
    {
        if (options is not null && Directory.Exists(options.DataDirectory))
        {
            Directory.Delete(options.DataDirectory, recursive: true);
        }

        var table = NewTable(200_000);
        var store = options is null ? null : NodePersistence.Open(options with { SnapshotLogBytes = long.MaxValue }, [table], TimeProvider.System, NullLogger.Instance);
        try
        {
            var keys = Enumerable.Range(0, 100_000).Select(i => Encoding.ASCII.GetBytes("key" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
            long total = 0;
            var until = Stopwatch.GetTimestamp() + (long)(s_phase.TotalSeconds * Stopwatch.Frequency);
            var started = Stopwatch.GetTimestamp();
            var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                long n = 0;
                var random = new Random(w);
                while (Stopwatch.GetTimestamp() < until)
                {
                    for (var i = 0; i < 64; i++)
                    {
                        table.Increment(keys[random.Next(keys.Length)], StickDataType.Gpc0);
                        n++;
                        if (waitDurable && store is not null)
                        {
                            await store.WaitDurableAsync();
                        }
                    }
                }

                Interlocked.Add(ref total, n);
            })).ToArray();
            await Task.WhenAll(tasks);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            long bytes = 0;
            if (store is not null)
            {
                await store.FlushAsync();
                bytes = Directory.GetFiles(options!.DataDirectory, "log-*.spl").Sum(f => new FileInfo(f).Length);
            }

            return (total / seconds, total, bytes);
        }
        finally
        {
            if (store is not null)
            {
                await store.DisposeAsync();
            }
        }
    }

    private static async Task LoadTimeAsync(string directory, int entries)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        var options = new PersistenceOptions { DataDirectory = directory, Fsync = FsyncMode.Never, SnapshotLogBytes = long.MaxValue };
        var table = NewTable(entries + 1000);
        var sw = Stopwatch.StartNew();
        await using (var store = NodePersistence.Open(options, [table], TimeProvider.System, NullLogger.Instance))
        {
            var key = new byte[16];
            for (var i = 0; i < entries; i++)
            {
                var n = Encoding.ASCII.GetBytes("k" + i.ToString(CultureInfo.InvariantCulture), key);
                table.Increment(key.AsSpan(0, n), StickDataType.HttpReqRate);
                table.Increment(key.AsSpan(0, n), StickDataType.Gpc0, amount: i);
            }

            await store.FlushAsync();
        }

        var fill = sw.Elapsed;
        var logBytes = Directory.GetFiles(directory, "log-*.spl").Sum(f => new FileInfo(f).Length);
        Console.WriteLine($"{entries:N0} entries, {2 * entries:N0} updates logged in {fill.TotalSeconds:N1} s; logs {logBytes / 1048576.0:N1} MiB ({logBytes / (2.0 * entries):N1} bytes/update)");

        var (fromLogs, loaded) = await TimeLoadAsync(options, entries, snapshot: true);
        var snapshotBytes = new FileInfo(Path.Combine(directory, "snapshot.sps")).Length;
        Console.WriteLine($"restart from logs only: {fromLogs.TotalMilliseconds:N0} ms ({loaded:N0} entries); then a snapshot: {snapshotBytes / 1048576.0:N1} MiB ({snapshotBytes / (double)entries:N1} bytes/entry)");
        var (fromSnapshot, again) = await TimeLoadAsync(options, entries, snapshot: false);
        Console.WriteLine($"restart from the snapshot: {fromSnapshot.TotalMilliseconds:N0} ms ({again:N0} entries)");
        var process = Process.GetCurrentProcess();
        Console.WriteLine($"(process peak working set {process.PeakWorkingSet64 / 1048576:N0} MiB)");
    }

    private static async Task<(TimeSpan Elapsed, long Entries)> TimeLoadAsync(PersistenceOptions options, int entries, bool snapshot)
    {
        GC.Collect();
        var table = NewTable(entries + 1000);
        var sw = Stopwatch.StartNew();
        var store = NodePersistence.Open(options, [table], TimeProvider.System, NullLogger.Instance);
        var elapsed = sw.Elapsed;
        if (snapshot)
        {
            await store.SnapshotAsync();
        }

        await store.DisposeAsync();
        return (elapsed, table.Count);
    }
}
