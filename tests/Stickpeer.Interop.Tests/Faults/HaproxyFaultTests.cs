// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Stickpeer.Interop.Tests.Lessons;
using Stickpeer.TestKit.Haproxy;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Interop.Tests.Faults;

/// <summary>
/// Connections between a real HAProxy (peer <c>hap</c>) and a Stickpeer daemon (peer <c>sp</c>) cut
/// at random points by relays in both directions, in many peers sections at once (32) (each section is an
/// independent pair of sessions, so cuts run in parallel). Both sides keep writing. After the cuts
/// stop, both tables must hold exactly the last value written of every key: nothing lost, nothing
/// extra. Size and length: <c>STICKPEER_FAULT_CUTS</c> (default 240) and <c>STICKPEER_FAULT_SECONDS</c>
/// (cut phase bound, default 40), <c>STICKPEER_FAULT_SEED</c> to replay a run's plan.
/// </summary>
[Trait("Category", "Interop")]
[Collection(nameof(HaproxyFaultTests))]
public sealed class HaproxyFaultTests
{
    private const int Sections = 32;
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RandomCuts_BothDirections_TablesConvergeWithNoLostOrExtraEntry()
    {
        HaproxyUnderTest.RequireOrSkip();
        var ct = TestContext.Current.CancellationToken;
        var targetCuts = EnvInt("STICKPEER_FAULT_CUTS", 240);
        var cutPhase = TimeSpan.FromSeconds(EnvInt("STICKPEER_FAULT_SECONDS", 40));
        var seed = EnvInt("STICKPEER_FAULT_SEED", Random.Shared.Next(1, int.MaxValue));
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed} (STICKPEER_FAULT_SEED={seed} replays the cut plan), target {targetCuts} cuts within {cutPhase.TotalSeconds} s");

        var dir = Directory.CreateTempSubdirectory("stickpeer-faults-").FullName;
        var relays = new List<(RecordingRelay Relay, string Name)>();
        HaproxyProcess? hap = null;
        StickpeerDaemon? sp = null;
        var stats = new CutStats();
        try
        {
            var hapPeers = new StringBuilder();
            var spPeers = new StringBuilder();
            for (var s = 0; s < Sections; s++)
            {
                var ports = FreePort.GetMany(2);
                var toSp = RecordingRelay.Start(ports[1]);
                var toHap = RecordingRelay.Start(ports[0]);
                relays.Add((toSp, $"s{s} hap->sp"));
                relays.Add((toHap, $"s{s} sp->hap"));
                // One table name per section: Stickpeer refuses the same table name in two sections (see docs/compatibility.md).
                var table = $"    table t{s} type string len 32 size 20k expire 10m store gpc0\n";
                hapPeers.Append(CultureInfo.InvariantCulture, $"peers s{s}\n    peer hap 127.0.0.1:{ports[0]}\n    peer sp 127.0.0.1:{toSp.Port}\n{table}\n");
                spPeers.Append(CultureInfo.InvariantCulture, $"peers s{s}\n    peer hap 127.0.0.1:{toHap.Port}\n    peer sp 127.0.0.1:{ports[1]}\n{table}\n");
            }

            var hapConfig = hapPeers.ToString();
            hap = await HaproxyProcess.StartAsync(new HaproxyOptions { LocalPeerName = "hap", Config = _ => HaproxyConfig.TcpDefaults + "\n" + hapConfig }, ct);
            sp = await StickpeerDaemon.StartAsync("sp", spPeers.ToString(), dir, ct);

            // Writers on both sides for the whole cut phase. HAProxy writes fresh keys (an HAProxy learner
            // loses a rewrite of a key its teacher holds, spec'd HAProxy behaviour, not a fault); Stickpeer
            // writes fresh keys and rewrites a few keys over and over.
            var expected = new ConcurrentDictionary<(int Section, string Key), long>();
            using var stop = new CancellationTokenSource();
            var random = new Random(seed);
            var cutters = relays.Select((r, i) => CutLoopAsync(r.Relay, new Random(random.Next()), stats, stop.Token)).ToList();
            var writers = new[]
            {
                WriteLoopAsync(cmd => hap.Stats.SendAsync(cmd, ct), "h", rewrite: false, new Random(random.Next()), expected, stop.Token),
                WriteLoopAsync(cmd => sp.CliAsync(cmd, ct), "s", rewrite: true, new Random(random.Next()), expected, stop.Token),
            };

            var watch = Stopwatch.StartNew();
            for (var i = 0; i < 100_000 && stats.Cuts < targetCuts && watch.Elapsed < cutPhase; i++)
            {
                await Task.Delay(100, ct);
            }

            await stop.CancelAsync();
            await Task.WhenAll(cutters).WaitAsync(TimeSpan.FromSeconds(30), ct);
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30), ct);
            TestContext.Current.TestOutputHelper?.WriteLine($"{stats} in {watch.Elapsed.TotalSeconds:F1} s; {expected.Count} keys written");
            if (stats.Cuts < targetCuts)
            {
                var seen = string.Join(", ", relays.Take(4).Select(r => $"{r.Name}: {r.Relay.Connections.Count} connections"));
                Assert.Fail($"only {stats} within {cutPhase.TotalSeconds} s (target {targetCuts}); {seen}\nstickpeer show peers:\n{await sp.CliAsync("show peers", ct)}\nhaproxy log:\n{hap.Output}");
            }

            await AssertConvergedAsync(hap, sp, expected, ct);
            Assert.False(hap.HasExited, "haproxy exited:\n" + hap.Output);
        }
        finally
        {
            if (sp is not null)
            {
                await sp.DisposeAsync();
            }

            if (hap is not null)
            {
                await hap.DisposeAsync();
            }

            foreach (var (relay, _) in relays)
            {
                await relay.DisposeAsync();
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// For each connection the relay accepts: cut it at a random byte offset of one direction (small
    /// offsets fall in the handshake, larger ones in lessons and updates), or after a random time
    /// (between messages, mid-batch); a connection that never reaches its offset is cut after 2 s.
    /// </summary>
    private static async Task CutLoopAsync(RecordingRelay relay, Random random, CutStats stats, CancellationToken stop)
    {
        // The first round takes the connection already open when the loop starts (the peers connect as
        // soon as both run); every later round the next one the relay accepts.
        var handled = 0;
        for (var round = 0; round < 100_000 && !stop.IsCancellationRequested; round++)
        {
            var plan = random.Next(8);
            var offset = plan switch
            {
                0 => random.Next(0, 48),        // hello / status line
                1 => random.Next(48, 600),      // first messages: DEFINE, resync request, first updates
                2 => random.Next(600, 4_000),   // lessons and update batches
                3 => -1,                        // time-based
                _ => 0,                         // right after a chosen message (below)
            };
            RelayValve? valve = null;
            var toServer = random.Next(2) == 0;
            var message = plan >= 4 ? ChooseMessage(plan, toServer, random) : null;
            if (offset >= 0)
            {
                valve = message is null ? new RelayValve(offset) : new RelayValve(message);
                if (toServer)
                {
                    relay.ArmClientToServer(valve);
                }
                else
                {
                    relay.ArmServerToClient(valve);
                }
            }

            RelayConnection connection;
            try
            {
                connection = await relay.WaitForConnectionAsync(c => c.Id > handled, TimeSpan.FromSeconds(60), stop);
                handled = connection.Id;
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
                return;
            }

            var delay = Task.Delay(offset >= 0 ? TimeSpan.FromSeconds(2) : TimeSpan.FromMilliseconds(random.Next(20, 1500)), CancellationToken.None);
            var armed = valve is not null && (connection.ClientToServerValve == valve || connection.ServerToClientValve == valve);
            var first = await Task.WhenAny(armed ? valve!.Held : Task.Delay(Timeout.Infinite, stop), connection.Completion, delay);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            if (connection.IsClosed)
            {
                stats.Closed();
                continue;
            }

            connection.Cut();
            stats.Cut(first == delay ? "time" : message?.Describe ?? plan switch { 0 => "handshake", 1 => "early", _ => "stream" });
        }
    }

    /// <summary>
    /// Cut points at protocol moments (spec §11 and issue 9): right after a resync request, a
    /// "resync finished"/"partial", the k-th ACK (ACK storms while a lesson is acknowledged) or the
    /// k-th update. A direction that never carries the message is cut by the 2 s fallback instead.
    /// </summary>
    private static MessageCutPoint ChooseMessage(int plan, bool fromConnector, Random random)
    {
        const byte Control = 0, Table = 10, Ack = 0x84;
        switch (plan)
        {
            case 4:
                var finished = random.Next(2) == 0;
                return new MessageCutPoint(finished ? "after 00 01" : "after 00 02", fromConnector, (c, t) => c == Control && t == (finished ? 1 : 2));
            case 5:
                return new MessageCutPoint("after 00 00", fromConnector, (c, t) => c == Control && t == 0);
            case 6:
                return new MessageCutPoint("after ACK #k", fromConnector, (c, t) => c == Table && t == Ack, random.Next(1, 30));
            default:
                return new MessageCutPoint("after update #k", fromConnector, (c, t) => c == Table && t is 0x80 or 0x81 or 0x85 or 0x86, random.Next(1, 200));
        }
    }

    private static async Task WriteLoopAsync(Func<string, Task<string>> cli, string prefix, bool rewrite, Random random, ConcurrentDictionary<(int, string), long> expected, CancellationToken stop)
    {
        for (var i = 1; i < 1_000_000 && !stop.IsCancellationRequested; i++)
        {
            var section = random.Next(Sections);
            var key = rewrite && i % 2 == 0 ? $"{prefix}r{random.Next(8)}" : $"{prefix}{i}";
            var answer = await cli($"set table s{section}/t{section} key {key} data.gpc0 {i}");
            Assert.True(answer.Trim().Length == 0, $"set table answered '{answer}'");
            expected[(section, key)] = i;
            try
            {
                await Task.Delay(random.Next(5, 30), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task AssertConvergedAsync(HaproxyProcess hap, StickpeerDaemon sp, ConcurrentDictionary<(int Section, string Key), long> expected, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + Converge;
        var problems = new List<string>();
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            problems.Clear();
            for (var s = 0; s < Sections && problems.Count < 10; s++)
            {
                var want = expected.Where(kv => kv.Key.Section == s).ToDictionary(kv => kv.Key.Key, kv => kv.Value.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
                Compare(problems, $"haproxy s{s}", want, await hap.Stats.SendAsync($"show table s{s}/t{s}", ct));
                Compare(problems, $"stickpeer s{s}", want, await sp.CliAsync($"show table s{s}/t{s}", ct));
            }

            if (problems.Count == 0 || DateTime.UtcNow >= deadline)
            {
                break;
            }

            await Task.Delay(500, ct);
        }

        Assert.True(problems.Count == 0, $"not converged after {Converge.TotalSeconds} s:\n{string.Join('\n', problems)}\nhaproxy log:\n{hap.Output}");
    }

    private static void Compare(List<string> problems, string who, Dictionary<string, string> want, string showTable)
    {
        var have = TableDump.Parse(showTable).Single().Entries.ToDictionary(e => e.Key, e => e["gpc0"] ?? string.Empty, StringComparer.Ordinal);
        foreach (var (key, value) in want)
        {
            if (!have.TryGetValue(key, out var got) || got != value)
            {
                problems.Add($"{who}: {key} = {(got ?? "(missing)")}, expected {value}");
                return;
            }
        }

        foreach (var key in have.Keys.Where(k => !want.ContainsKey(k)).Take(1))
        {
            problems.Add($"{who}: unexpected key {key}");
        }
    }

    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;

    private sealed class CutStats
    {
        private readonly ConcurrentDictionary<string, int> _byKind = new(StringComparer.Ordinal);
        private int _cuts;
        private int _closed;

        public int Cuts => Volatile.Read(ref _cuts);

        public void Cut(string kind)
        {
            Interlocked.Increment(ref _cuts);
            _byKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
        }

        public void Closed() => Interlocked.Increment(ref _closed);

        public override string ToString() =>
            $"{Cuts} cuts ({string.Join(", ", _byKind.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"))}), {Volatile.Read(ref _closed)} connections closed by the peers themselves";
    }
}

/// <summary>
/// The fault run alone, after the parallel tests: its cut rate depends on the peers' reconnect timers
/// and on CPU, and the other interop tests' HAProxy processes would slow both sides down.
/// </summary>
[CollectionDefinition(nameof(HaproxyFaultTests), DisableParallelization = true)]
public sealed class HaproxyFaultCollection;
