// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using Stickpeer.Benchmarks.Sockets;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Declaration;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Keys;

namespace Stickpeer.Benchmarks.Tables;

/// <summary>
/// <c>table-memory [entries]</c>: memory per entry of HAProxy 2.6 (RSS growth while filling
/// through its stats socket in prompt mode) and of Stickpeer (managed heap and RSS growth), for
/// the same declarations, in one run. Used by <c>eng/table-memory.sh</c>.
/// </summary>
internal static class TableMemory
{
    private static readonly (string Name, string Declaration, string Data)[] s_cases =
    [
        ("st", "type string len 32 size 2m expire 30m store gpc0,http_req_rate(10s),conn_cnt,server_id", "data.gpc0 1 data.http_req_rate 1 data.conn_cnt 1 data.server_id 1"),
        ("ip", "type ip size 2m expire 30m store gpc0,http_req_rate(10s)", "data.gpc0 1 data.http_req_rate 1"),
    ];

    public static void Run(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        Console.WriteLine($"entries per table: {n:N0}");
        Console.WriteLine($"{"table",-6} {"HAProxy RSS B/entry",20} {"Stickpeer heap B/entry",23} {"Stickpeer RSS B/entry",22}");
        foreach (var (name, decl, data) in s_cases)
        {
            var hap = MeasureHaproxy(name, decl, data, n);
            var (heap, rss) = MeasureStickpeer(name, decl, n);
            Console.WriteLine($"{name,-6} {(hap is { } h ? h.ToString("F1", CultureInfo.InvariantCulture) : "n/a"),20} {heap,23:F1} {rss,22:F1}");
            Console.WriteLine($"       declaration: {decl}");
        }
    }

    private static string KeyText(string table, int i) => table == "ip"
        ? $"10.{(i >> 16) & 0xFF}.{(i >> 8) & 0xFF}.{i & 0xFF}"
        : $"client-{i:D8}.example.org";

    private static (double Heap, double Rss) MeasureStickpeer(string name, string decl, int n)
    {
        var d = StickTableDeclaration.Parse(decl.Split(' ')).Declaration!;
        var keys = new byte[n][];
        for (var i = 0; i < n; i++)
        {
            keys[i] = StickKeyText.TryParse(d.KeyType, d.KeySize, KeyText(name, i))!;
        }

        var (heap0, rss0) = Snapshot();
        var table = StickTable.Create(d, name, name);
        for (var i = 0; i < n; i++)
        {
            table.Set(keys[i], [
                new DataAssignment(StickDataType.Gpc0, 0, 1),
                new DataAssignment(StickDataType.HttpReqRate, 0, 1),
            ]);
        }

        var (heap1, rss1) = Snapshot();
        if (table.Count != n)
        {
            throw new InvalidOperationException($"expected {n} entries, got {table.Count}");
        }

        GC.KeepAlive(table);
        GC.KeepAlive(keys);
        return ((heap1 - heap0) / (double)n, (rss1 - rss0) / (double)n);
    }

    private static (long Heap, long Rss) Snapshot()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var self = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(false), self.WorkingSet64);
    }

    private static double? MeasureHaproxy(string name, string decl, string data, int n)
    {
        var exe = Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(p => Path.Combine(p, "haproxy")).FirstOrDefault(File.Exists);
        if (exe is null)
        {
            return null;
        }

        var dir = Directory.CreateTempSubdirectory("stickpeer-mem-").FullName;
        var sock = Path.Combine(dir, "admin.sock");
        File.WriteAllText(Path.Combine(dir, "h.cfg"), $"global\n    stats socket {sock} level admin\n    stats timeout 10m\ndefaults\n    mode tcp\n    timeout client 10m\n    timeout server 10m\n    timeout connect 1s\nbackend {name}\n    stick-table {decl}\n");
        var psi = new ProcessStartInfo(exe, ["-db", "-f", Path.Combine(dir, "h.cfg")]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var proc = Process.Start(psi)!;
        try
        {
            StatsSocket.Connect(sock, TimeSpan.FromSeconds(5)).Dispose(); // haproxy is up
            var rss0 = Rss(proc.Id);
            StatsSocket.Populate(sock, name, n, i => KeyText(name, i), data);

            Thread.Sleep(200);
            var rss1 = Rss(proc.Id);
            return (rss1 - rss0) / (double)n;
        }
        finally
        {
            proc.Kill();
            proc.WaitForExit(5000);
            Directory.Delete(dir, recursive: true);
        }
    }

    private static long Rss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
