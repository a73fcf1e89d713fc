// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using Stickpeer.Benchmarks.Session;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Benchmarks.Sockets;

/// <summary>
/// <c>resync-bench [entries] [combos]</c> (used by <c>eng/resync-bench.sh</c>): full resync of a
/// <c>string len 32</c> table with 4 data fields between two real processes over loopback, timed
/// like the HAProxy reference: the teacher is filled through its stats socket (prompt mode),
/// then the learner process is started and the clock runs until its <c>show table</c> header
/// says <c>used:N</c> (so the learner's process start is included). Combos are teacher+learner
/// letters: <c>h</c> = haproxy, <c>s</c> = the Stickpeer daemon (Release build); default <c>hh,ss,hs,sh</c>.
/// </summary>
internal static class ResyncBench
{
    private const string Data = "data.gpc0 1 data.conn_cnt 2 data.http_req_cnt 3 data.http_req_rate 4";

    public static void Run(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var combos = (args.Length > 1 ? args[1] : "hh,ss,hs,sh").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var haproxy = FindOnPath("haproxy");
        var daemon = FindDaemon();
        Console.WriteLine($"entries {n:N0}; table: backend bench, stick-table {PairWorkload.StringDeclaration} peers mesh");
        Console.WriteLine($"haproxy: {haproxy ?? "not on PATH"}; stickpeer daemon: {daemon ?? "not built (dotnet build -c Release src/Stickpeer.Daemon)"}");
        double? reference = null;
        foreach (var combo in combos)
        {
            if (combo.Length != 2 || (combo.Contains('h', StringComparison.Ordinal) && haproxy is null) || (combo.Contains('s', StringComparison.Ordinal) && daemon is null))
            {
                Console.WriteLine($"{combo}: skipped");
                continue;
            }

            var seconds = Measure(combo[0], combo[1], n, haproxy, daemon);
            var rate = n / seconds;
            if (combo == "hh")
            {
                reference = rate;
            }

            var ratio = reference is { } r ? string.Create(CultureInfo.InvariantCulture, $"{rate / r:F2}x haproxy->haproxy") : string.Empty;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Name(combo[0])} -> {Name(combo[1])}: {seconds * 1000:F0} ms, {rate / 1e6:F2} M entries/s (learner process start included) {ratio}"));
        }
    }

    private static string Name(char kind) => kind == 'h' ? "haproxy" : "stickpeer";

    private static double Measure(char teacher, char learner, int n, string? haproxy, string? daemon)
    {
        var dir = Directory.CreateTempSubdirectory("stickpeer-resync-").FullName;
        var ports = FreePort.GetMany(2);
        var processes = new List<Process>();
        try
        {
            foreach (var role in new[] { "t", "l" })
            {
                File.WriteAllText(Path.Combine(dir, role + ".cfg"), string.Create(CultureInfo.InvariantCulture, $"""
                    global
                        stats socket {Path.Combine(dir, role + ".sock")} level admin
                        stats timeout 10m
                    defaults
                        mode tcp
                        timeout client 10m
                        timeout server 10m
                        timeout connect 1s
                    peers mesh
                        peer t 127.0.0.1:{ports[0]}
                        peer l 127.0.0.1:{ports[1]}
                    backend bench
                        stick-table {PairWorkload.StringDeclaration} peers mesh

                    """));
            }

            processes.Add(Start(teacher, "t", dir, haproxy, daemon));
            StatsSocket.Populate(Path.Combine(dir, "t.sock"), "bench", n, PairWorkload.KeyText, Data);
            var taught = StatsSocket.Used(Path.Combine(dir, "t.sock"), "bench");
            if (taught != n)
            {
                throw new InvalidOperationException($"teacher holds {taught} entries, expected {n}");
            }

            var sw = Stopwatch.StartNew();
            processes.Add(Start(learner, "l", dir, haproxy, daemon));
            var learnerSocket = Path.Combine(dir, "l.sock");
            while (StatsSocket.Used(learnerSocket, "bench") < n)
            {
                if (sw.Elapsed > TimeSpan.FromMinutes(2) || processes[1].HasExited)
                {
                    throw new TimeoutException($"learner has {StatsSocket.Used(learnerSocket, "bench")} of {n} entries after {sw.Elapsed}");
                }

                Thread.Sleep(2);
            }

            return sw.Elapsed.TotalSeconds;
        }
        finally
        {
            foreach (var p in processes)
            {
                try
                {
                    p.Kill(entireProcessTree: true);
                    p.WaitForExit(5000);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }

                p.Dispose();
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    private static Process Start(char kind, string name, string dir, string? haproxy, string? daemon)
    {
        var cfg = Path.Combine(dir, name + ".cfg");
        var psi = kind == 'h'
            ? new ProcessStartInfo(haproxy!, ["-db", "-f", cfg, "-L", name])
            : new ProcessStartInfo("dotnet", [daemon!, "-f", cfg, "-L", name, "-q"]);
        psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static string? FindOnPath(string exe) =>
        Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(p => Path.Combine(p, exe)).FirstOrDefault(File.Exists);

    private static string? FindDaemon()
    {
        if (Environment.GetEnvironmentVariable("STICKPEER_DAEMON") is { Length: > 0 } set)
        {
            return set;
        }

        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Stickpeer.slnx")))
            {
                var dll = Path.Combine(d.FullName, "src", "Stickpeer.Daemon", "bin", "Release", "net10.0", "stickpeer.dll");
                return File.Exists(dll) ? dll : null;
            }
        }

        return null;
    }
}
