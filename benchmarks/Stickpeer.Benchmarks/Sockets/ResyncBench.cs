// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using Stickpeer.Benchmarks.Session;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Benchmarks.Sockets;

/// <summary>
/// <c>resync-bench [entries] [combos] [rounds]</c> (used by <c>eng/resync-bench.sh</c>): full resync of a
/// <c>string len 32</c> table with 4 data fields between two real processes over loopback, timed
/// like the HAProxy reference: the teacher is filled through its stats socket (prompt mode),
/// then the learner process is started and the clock runs until its <c>show table</c> header
/// says <c>used:N</c> (so the learner's process start is included); the best of the rounds is reported (the least disturbed by other load). Combos are teacher+learner
/// letters: <c>h</c> = haproxy, <c>s</c> = the Stickpeer daemon (<c>STICKPEER_DAEMON</c>: a native AOT
/// executable or a dll run with <c>dotnet</c>; default the Release dll); default <c>hh,ss,hs,sh</c>.
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
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var runnable = combos.Where(c => c.Length == 2 && !(c.Contains('h', StringComparison.Ordinal) && haproxy is null) && !(c.Contains('s', StringComparison.Ordinal) && daemon is null)).ToList();
        foreach (var skipped in combos.Except(runnable))
        {
            Console.WriteLine($"{skipped}: skipped");
        }

        // Rounds interleave the combos, so a change of machine load hits all of them alike.
        var times = runnable.ToDictionary(c => c, _ => new List<double>());
        for (var r = 0; r < rounds; r++)
        {
            foreach (var combo in runnable)
            {
                times[combo].Add(Measure(combo[0], combo[1], n, haproxy, daemon));
            }
        }

        // The best round is the least disturbed by other load on a shared machine: rates and ratios use it.
        var best = times.ToDictionary(t => t.Key, t => t.Value.Min());
        foreach (var combo in runnable)
        {
            var rate = n / best[combo];
            var ratio = best.TryGetValue("hh", out var hh) ? string.Create(CultureInfo.InvariantCulture, $" = {hh / best[combo]:F2}x haproxy->haproxy") : string.Empty;
            var all = string.Join(' ', times[combo].Select(t => (t * 1000).ToString("F0", CultureInfo.InvariantCulture)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Name(combo[0]),9} -> {Name(combo[1]),-9}: best {best[combo] * 1000:F0} ms (rounds: {all}), {rate / 1e6:F2} M entries/s{ratio}"));
        }
    }

    private static string Name(char kind) => kind == 'h' ? "haproxy" : "stickpeer";

    private static double Measure(char teacher, char learner, int n, string? haproxy, string? daemon)
    {
        var dir = Directory.CreateTempSubdirectory("stickpeer-resync-").FullName;
        var ports = FreePort.GetMany(3);
        var processes = new List<Process>();
        try
        {
            // Peers: t (teacher), l (learner) and, for a Stickpeer teacher, s (a haproxy seed: Stickpeer's
            // stats socket is far too slow to take a million "set table" lines, so t learns them from s).
            var seeded = teacher == 's';
            WriteConfig(dir, "s", ports, ["s", "t"]);
            WriteConfig(dir, "t", ports, seeded ? ["s", "t", "l"] : ["t", "l"]);
            WriteConfig(dir, "l", ports, ["t", "l"]);
            if (seeded)
            {
                var seed = Start('h', "s", dir, haproxy, daemon);
                processes.Add(seed);
                StatsSocket.Populate(Path.Combine(dir, "s.sock"), "bench", n, PairWorkload.KeyText, Data);
                processes.Add(Start('s', "t", dir, haproxy, daemon));
                WaitUsed(Path.Combine(dir, "t.sock"), n, processes[^1], TimeSpan.FromMinutes(2));
                seed.Kill();
                seed.WaitForExit(5000);
            }
            else
            {
                processes.Add(Start(teacher, "t", dir, haproxy, daemon));
                StatsSocket.Populate(Path.Combine(dir, "t.sock"), "bench", n, PairWorkload.KeyText, Data);
            }

            var taught = StatsSocket.Used(Path.Combine(dir, "t.sock"), "bench");
            if (taught != n)
            {
                throw new InvalidOperationException($"teacher holds {taught} entries, expected {n}");
            }

            var sw = Stopwatch.StartNew();
            processes.Add(Start(learner, "l", dir, haproxy, daemon));
            WaitUsed(Path.Combine(dir, "l.sock"), n, processes[^1], TimeSpan.FromMinutes(2));
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

    private static void WaitUsed(string socket, int n, Process process, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        var verbose = Environment.GetEnvironmentVariable("STICKPEER_BENCH_VERBOSE") is { Length: > 0 };
        var shown = TimeSpan.Zero;
        long used;
        while ((used = StatsSocket.Used(socket, "bench")) < n)
        {
            if (verbose && sw.Elapsed - shown >= TimeSpan.FromMilliseconds(50))
            {
                shown = sw.Elapsed;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Path.GetFileName(socket)} {sw.Elapsed.TotalMilliseconds:F0} ms: used {used}"));
            }

            if (sw.Elapsed > timeout || process.HasExited)
            {
                throw new TimeoutException($"{socket}: {StatsSocket.Used(socket, "bench")} of {n} entries after {sw.Elapsed}");
            }

            Thread.Sleep(2);
        }
    }

    private static void WriteConfig(string dir, string role, int[] ports, string[] peers)
    {
        var lines = string.Join("\n", peers.Select(p => string.Create(CultureInfo.InvariantCulture, $"    peer {p} 127.0.0.1:{ports["tls".IndexOf(p, StringComparison.Ordinal)]}")));
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
            {lines}
            backend bench
                stick-table {PairWorkload.StringDeclaration} peers mesh

            """));
    }

    private static Process Start(char kind, string name, string dir, string? haproxy, string? daemon)
    {
        var cfg = Path.Combine(dir, name + ".cfg");
        var psi = kind == 'h'
            ? new ProcessStartInfo(haproxy!, ["-db", "-f", cfg, "-L", name])
            : daemon!.EndsWith(".dll", StringComparison.Ordinal)
                ? new ProcessStartInfo("dotnet", [daemon, "-f", cfg, "-L", name, "-q"])
                : new ProcessStartInfo(daemon, ["-f", cfg, "-L", name, "-q"]); // a native (AOT) build
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
