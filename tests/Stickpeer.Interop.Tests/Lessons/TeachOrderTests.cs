// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text;
using Stickpeer.Protocol.Decode;
using Stickpeer.TestKit;
using Stickpeer.TestKit.Haproxy;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Interop.Tests.Lessons;

/// <summary>
/// What a Stickpeer teacher sends a real HAProxy learner (2.6, or 3.0 with <c>STICKPEER_HAPROXY</c>):
/// its local changes in update-id order with implicit ids (0x86) where the ids are consecutive, then
/// what it learned from another peer, with consecutive ids half the id space above. The learner must
/// end with every entry at its newest value: keys rewritten after their first write (holes in the
/// ids, explicit ids after them), a learned key rewritten locally, learned keys.
/// </summary>
[Trait("Category", "Interop")]
public sealed class TeachOrderTests : IAsyncDisposable
{
    private const int LocalCount = 2000;
    private const int LearnedCount = 300;
    private const string Table = "mesh/t";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private readonly TestScope _scope = new("stickpeer-teach-order-");

    public ValueTask DisposeAsync() => _scope.DisposeAsync();

    [Fact]
    public async Task StickpeerTeacher_HaproxyLearner_LocalInIdOrderWithImplicitIdsThenLearned()
    {
        HaproxyUnderTest.RequireOrSkip();
        var ct = TestContext.Current.CancellationToken;
        var ports = FreePort.GetMany(4);
        int srcPort = ports[0], spPort = ports[1], hapPort = ports[2], unreachable = ports[3];

        // A HAProxy source whose entries the Stickpeer node learns.
        var src = await StartHaproxyAsync("src", Peers(("src", srcPort), ("sp", spPort)), ct);
        await SetManyAsync(src, Enumerable.Range(0, LearnedCount).Select(i => (Learned(i), 5000L + i)), ct);
        var sp = _scope.Own(await StickpeerDaemon.StartAsync("sp", Peers(("src", srcPort), ("sp", spPort), ("hap", unreachable)), _scope.Directory, ct));
        await WaitUsedAsync(c => sp.CliAsync("show table " + Table, c), LearnedCount, "stickpeer sp", ct);

        // Local writes: every key once, then every tenth key again (it moves to the end of the id
        // order, leaving a hole), then one learned key (it becomes a local change).
        var expected = Enumerable.Range(0, LearnedCount).ToDictionary(Learned, i => 5000L + i, StringComparer.Ordinal);
        var localOrder = new List<string>();
        var writes = new List<(string Key, long Value)>();
        writes.AddRange(Enumerable.Range(0, LocalCount).Select(i => (Local(i), (long)i)));
        writes.AddRange(Enumerable.Range(0, LocalCount / 10).Select(i => (Local(i * 10), 100_000L + i)));
        writes.Add((Learned(5), 77));
        foreach (var (key, value) in writes)
        {
            var answer = await sp.CliAsync($"set table {Table} key {key} data.gpc0 {value}", ct);
            Assert.True(string.IsNullOrWhiteSpace(answer), answer);
        }

        foreach (var (key, value) in writes)
        {
            expected[key] = value;
            localOrder.Remove(key);
            localOrder.Add(key);
        }

        // The learner reaches the teacher through a recording relay; it knows no other peer.
        await using var relay = RecordingRelay.Start(spPort, maxBytesPerDirection: 32 * 1024 * 1024);
        var hap = await StartHaproxyAsync("hap", Peers(("sp", relay.Port), ("hap", hapPort)), ct);
        await WaitForTableAsync(hap, expected, ct);

        var lesson = relay.Connections
            .Select(c => SessionDecoder.Decode(c.ServerToClient.ToArray()).Messages
                .Where(m => m.Kind == DecodedMessageKind.Update && m.Timed && m.Key is not null)
                .Select(m => (Key: Encoding.ASCII.GetString(m.Key!), m.UpdateId, m.ExplicitId))
                .ToList())
            .First(l => l.Count >= expected.Count);

        // Local changes first, in the order of their newest write, ids increasing; learned after.
        var local = lesson.Take(localOrder.Count).ToList();
        Assert.Equal(localOrder, local.Select(u => u.Key));
        Assert.All(local.Zip(local.Skip(1)), p => Assert.True(p.Second.UpdateId > p.First.UpdateId, $"{p.Second.Key} id {p.Second.UpdateId} after {p.First.UpdateId}"));
        Assert.All(local.Zip(local.Skip(1)).Where(p => !p.Second.ExplicitId), p => Assert.Equal(p.First.UpdateId + 1, p.Second.UpdateId));
        var implicitShare = local.Count(u => !u.ExplicitId) / (double)local.Count;
        Assert.True(implicitShare > 0.8, $"only {implicitShare:P0} of the local lesson updates use the implicit id");

        var learned = lesson.Skip(localOrder.Count).Take(LearnedCount - 1).ToList();
        Assert.Equal(Enumerable.Range(0, LearnedCount).Where(i => i != 5).Select(Learned).Order(StringComparer.Ordinal), learned.Select(u => u.Key).Order(StringComparer.Ordinal));
        Assert.All(learned, u => Assert.True(u.UpdateId >= 0x80000000u, $"learned {u.Key} taught with id {u.UpdateId}"));
        Assert.All(learned.Zip(learned.Skip(1)), p => Assert.Equal(p.First.UpdateId + 1, p.Second.UpdateId));
        Assert.False(hap.HasExited, "haproxy exited:\n" + hap.Output);
    }

    private static string Local(int i) => "k" + i.ToString("D4", CultureInfo.InvariantCulture);

    private static string Learned(int i) => "l" + i.ToString("D4", CultureInfo.InvariantCulture);

    private static string Peers(params (string Name, int Port)[] nodes)
    {
        var sb = new StringBuilder("peers mesh\n");
        foreach (var (name, port) in nodes)
        {
            sb.Append(CultureInfo.InvariantCulture, $"    peer {name} 127.0.0.1:{port}\n");
        }

        sb.Append("    table t type string len 32 size 100k expire 30m store gpc0\n");
        return sb.ToString();
    }

    private async Task<HaproxyProcess> StartHaproxyAsync(string name, string peers, CancellationToken ct) =>
        _scope.Own(await HaproxyProcess.StartAsync(new HaproxyOptions { LocalPeerName = name, Config = _ => HaproxyConfig.TcpDefaults + "\n" + peers }, ct));

    private static async Task SetManyAsync(HaproxyProcess hap, IEnumerable<(string Key, long Value)> entries, CancellationToken ct)
    {
        await using var prompt = await hap.Stats.OpenPromptAsync(ct);
        var answers = await prompt.ExecuteManyAsync([.. entries.Select(e => $"set table {Table} key {e.Key} data.gpc0 {e.Value}")], ct);
        Assert.All(answers, a => Assert.True(string.IsNullOrWhiteSpace(a), a));
    }

    private static Task WaitUsedAsync(Func<CancellationToken, Task<string>> show, int count, string name, CancellationToken ct) =>
        TableWaits.UntilAsync(name, show, dump => dump.Used >= count, $"{count} entries", s_wait, ct);

    private static Task WaitForTableAsync(HaproxyProcess hap, Dictionary<string, long> expected, CancellationToken ct) =>
        TableWaits.ExactGpc0Async("haproxy", c => hap.Stats.SendAsync("show table " + Table, c),
            expected.ToDictionary(e => e.Key, e => e.Value.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal),
            s_wait, TimeSpan.FromMilliseconds(200), () => $"log:\n{hap.Output}", ct);
}
