// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using Stickpeer.TestKit;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Persistence;

/// <summary>
/// The daemon under continuous <c>set table</c>/<c>clear table</c> load through its admin socket,
/// killed with SIGKILL at random moments and restarted on the same data directory: after every
/// restart each acknowledged change is there and the table equals the reference model (a change
/// in flight at the kill may or may not be). <c>fsync always</c> 50 times; <c>every 1s</c> 15
/// times, since a process crash must not lose an acknowledged change under that policy either
/// (only a power failure may). Snapshots are forced often (tiny <c>snapshot-log-size</c>) so kills
/// also land in snapshot writes and log rotations. Kills per policy: <c>STICKPEER_CRASH_ITERATIONS</c>;
/// the seed is printed.
/// </summary>
public sealed class CrashTests
{
    private const int Clients = 3;
    private const int KeysPerClient = 40;

    [Theory]
    [InlineData("always", 50)]
    [InlineData("every 1s", 15)]
    public async Task Sigkill_UnderLoad_KeepsEveryAcknowledgedChange(string fsync, int kills)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "SIGKILL and UNIX sockets");
        var ct = TestContext.Current.CancellationToken;
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("STICKPEER_CRASH_ITERATIONS"), CultureInfo.InvariantCulture, out var n) ? n : kills;
        var seed = Environment.TickCount;
        TestContext.Current.TestOutputHelper?.WriteLine($"crash test seed {seed}, fsync {fsync}, {iterations} kills");
        var random = new Random(seed);
        await using var scope = new TestScope("sp-crash");
        var sock = Path.Combine(scope.Directory, "admin.sock");
        var cfg = Path.Combine(scope.Directory, "node.cfg");
        var settings = Path.Combine(scope.Directory, "stickpeer.settings");
        await File.WriteAllTextAsync(cfg, $"global\n    stats socket {sock} level admin\n\npeers p\n    peer me 127.0.0.1:{FreePort.Get()}\n    table t type string len 32 size 10000 store gpc0\n", ct);
        await File.WriteAllTextAsync(settings, $"data-dir {Path.Combine(scope.Directory, "data")}\nfsync {fsync}\nsnapshot-log-size 8k\n", ct);
        string[] args = ["-f", cfg, "-L", "me", "--settings", settings];

        // Per key: the last acknowledged value (null = absent) and the value of a command in flight at the kill.
        var acked = new Dictionary<string, long?>(StringComparer.Ordinal);
        var inFlight = new Dictionary<string, long?>(StringComparer.Ordinal);
        long ackedTotal = 0;
        for (var round = 0; round <= iterations; round++)
        {
            using var daemon = DaemonProcess.Start(args);
            Assert.True(await daemon.WaitForSocketAsync(sock, TimeSpan.FromSeconds(30), ct), $"round {round}: daemon did not start (seed {seed}):\n{daemon.RecentOutput}");

            // Every acknowledged change is there; a change in flight may be either way; nothing else.
            var table = await ShowTableAsync(sock, ct);
            foreach (var (key, value) in acked)
            {
                table.TryGetValue(key, out var actual);
                long? got = table.ContainsKey(key) ? actual : null;
                var ok = got == value || (inFlight.TryGetValue(key, out var pending) && got == pending);
                Assert.True(ok, $"round {round} (seed {seed}): key {key} is {got?.ToString(CultureInfo.InvariantCulture) ?? "absent"}, acknowledged {value?.ToString(CultureInfo.InvariantCulture) ?? "absent"}");
                acked[key] = got;
            }

            foreach (var (key, value) in table)
            {
                Assert.True(acked.ContainsKey(key) || (inFlight.TryGetValue(key, out var p) && p == value), $"round {round} (seed {seed}): unexpected key {key}={value}");
                acked[key] = value;
            }

            inFlight.Clear();
            if (round == iterations)
            {
                break;
            }

            // Load from several clients (disjoint keys, so each key has at most one command in flight), then SIGKILL.
            using var load = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var clients = Enumerable.Range(0, Clients).Select(c => RunClientAsync(sock, c, new Random(random.Next()), acked, inFlight, load.Token)).ToArray();
            await Task.Delay(random.Next(30, 300), ct);
            daemon.Kill();
            await load.CancelAsync();
            foreach (var c in clients)
            {
                ackedTotal += await c;
            }
        }

        Assert.True(ackedTotal > iterations, $"the load acknowledged only {ackedTotal} changes in {iterations} rounds");
        Assert.True(File.Exists(Path.Combine(scope.Directory, "data", "snapshot.sps")), "no snapshot was ever written: the kills never met a snapshot");
    }

    private static async Task<long> RunClientAsync(string sock, int client, Random random, Dictionary<string, long?> acked, Dictionary<string, long?> inFlight, CancellationToken ct)
    {
        long count = 0;
        for (var i = 0; i < 100_000 && !ct.IsCancellationRequested; i++)
        {
            var key = $"c{client}k{random.Next(KeysPerClient)}";
            long? value = random.Next(10) == 0 ? null : random.Next(1, 1_000_000);
            var command = value is { } v ? $"set table p/t key {key} data.gpc0 {v}" : $"clear table p/t key {key}";
            lock (inFlight)
            {
                inFlight[key] = value;
            }

            string answer;
            try
            {
                answer = await UnixCli.SendAsync(sock, command, CancellationToken.None);
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or TimeoutException)
            {
                return count; // killed: this command stays in flight
            }

            if (answer != "\n")
            {
                return count; // cut off before the whole answer: not acknowledged
            }

            lock (inFlight)
            {
                acked[key] = value;
                inFlight.Remove(key);
            }

            count++;
        }

        return count;
    }

    private static async Task<Dictionary<string, long>> ShowTableAsync(string sock, CancellationToken ct)
    {
        var text = await UnixCli.SendAsync(sock, "show table p/t", ct);
        var entries = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("0x", StringComparison.Ordinal))
            {
                continue;
            }

            var words = line.Split(' ');
            var key = words.Single(w => w.StartsWith("key=", StringComparison.Ordinal))[4..];
            var gpc0 = words.Single(w => w.StartsWith("gpc0=", StringComparison.Ordinal))[5..];
            entries[key] = long.Parse(gpc0, CultureInfo.InvariantCulture);
        }

        return entries;
    }
}
