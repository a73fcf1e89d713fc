// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Stickpeer.Protocol.Decode;
using Stickpeer.TestKit;
using Stickpeer.TestKit.Haproxy;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Interop.Tests.Lessons;

/// <summary>
/// "No lost writes while learning", against a real HAProxy 2.6 teacher. HAProxy holds
/// <see cref="EntryCount"/> entries; an empty learner connects through a relay whose
/// teacher→learner direction is held a few KB into the lesson (one byte trickles through every
/// <see cref="s_trickle"/> so the session stays alive). While the lesson is held, the test writes
/// keys the lesson already delivered and keys it has not delivered yet on the learner, then
/// releases the lesson. The recorded bytes prove the order (which lesson updates reached the
/// learner before, and which after, the writes).
/// </summary>
[Trait("Category", "Interop")]
public sealed partial class LessonWritesTests : IAsyncDisposable
{
    private const int EntryCount = 3000;
    private const long HoldAfterBytes = 4096;
    private const string Table = "mesh/t";
    private static readonly TimeSpan s_trickle = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private readonly TestScope _scope = new("stickpeer-lesson-");

    public ValueTask DisposeAsync() => _scope.DisposeAsync();

    [Fact]
    public async Task HaproxyTeacher_StickpeerWritesDuringLesson_StickpeerValuesWinOnBothNodes()
    {
        SkipWithoutHaproxy();
        var ct = TestContext.Current.CancellationToken;
        var ports = FreePort.GetMany(3);
        int hapPort = ports[0], spPort = ports[1], unreachable = ports[2];
        var (hap, relay) = await StartTeacherAsync(hapPort, unreachable, ct);

        var valve = new RelayValve(HoldAfterBytes, s_trickle);
        relay.ArmServerToClient(valve);
        var sp = await StickpeerDaemon.StartAsync("sp", Peers(("hap", relay.Port), ("sp", spPort)), _scope.Directory, ct);
        _scope.Own(sp);
        var learner = new Node("stickpeer sp", async c => await sp.CliAsync("show table " + Table, c), (k, v, c) => sp.CliAsync($"set table {Table} key {k} data.gpc0 {v}", c));

        var run = await WriteDuringHeldLessonAsync(relay, valve, learner, ct);

        var expected = Expected(run);
        var teacher = new Node("haproxy hap", c => hap.Stats.SendAsync("show table " + Table, c), null);
        await WaitForTableAsync(learner, expected, hap, ct);
        await WaitForTableAsync(teacher, expected, hap, ct);
        AssertLessonOrder(run);
    }

    /// <summary>
    /// Control: the same setup with a second HAProxy 2.6 as the learner documents the issue. The
    /// learner's writes to keys the teacher holds are lost on both nodes: the lesson overwrites
    /// keys it had not delivered yet, and the teacher's re-push of its entries after the lesson
    /// overwrites the keys it had delivered.
    /// </summary>
    [Fact]
    public async Task HaproxyTeacher_HaproxyLearnerWritesDuringLesson_WritesToTaughtKeysAreLost()
    {
        SkipWithoutHaproxy();
        var ct = TestContext.Current.CancellationToken;
        var ports = FreePort.GetMany(3);
        int hapPort = ports[0], learnerPort = ports[1], unreachable = ports[2];
        var (hap, relay) = await StartTeacherAsync(hapPort, unreachable, ct);

        var valve = new RelayValve(HoldAfterBytes, s_trickle);
        relay.ArmServerToClient(valve);
        var hap2 = await StartHaproxyAsync("hap2", Peers(("hap", relay.Port), ("hap2", learnerPort)), ct);
        var learner = new Node("haproxy hap2", c => hap2.Stats.SendAsync("show table " + Table, c), (k, v, c) => hap2.Stats.SendAsync($"set table {Table} key {k} data.gpc0 {v}", c));

        var run = await WriteDuringHeldLessonAsync(relay, valve, learner, ct);

        // HAProxy 2.6.12 (observed): every write to a key the teacher also holds ends with the
        // teacher's older value on both nodes, whether the lesson had delivered the key before the
        // write or not; only the key the teacher did not have survives and reaches the teacher.
        var expected = Expected(run with { Delivered = [], Pending = [] });
        var teacher = new Node("haproxy hap", c => hap.Stats.SendAsync("show table " + Table, c), null);
        await WaitForTableAsync(teacher, expected, hap, ct);
        await WaitForTableAsync(learner, expected, hap2, ct);
        AssertLessonOrder(run);

        // Why the delivered keys lose too: after its end marker the teacher re-pushed them with its
        // old values. On a loaded machine the lesson's session can be cut and replaced after the
        // marker; the teacher then sends the same old values in the new session, so look there too.
        var decoded = SessionDecoder.Decode(run.Connection.ServerToClient.ToArray()).Messages;
        var later = relay.Connections.SkipWhile(c => c != run.Connection).Skip(1)
            .SelectMany(c => SessionDecoder.Decode(c.ServerToClient.ToArray()).Messages);
        var afterLesson = decoded.SkipWhile(m => !(m.Kind == DecodedMessageKind.Control && m.Type == 1)).Concat(later).ToList();
        foreach (var (key, _) in run.DeliveredKeys)
        {
            var seed = Seed(int.Parse(key.AsSpan(1), CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture);
            Assert.Contains(afterLesson, m => m.Kind == DecodedMessageKind.Update && m.Key is { } k && Encoding.ASCII.GetString(k) == key && m.Text.Contains("gpc0=" + seed, StringComparison.Ordinal));
        }
    }

    private static string Key(int i) => "k" + i.ToString("D4", CultureInfo.InvariantCulture);

    private static long Seed(int i) => 1000 + i;

    private static void SkipWithoutHaproxy()
    {
        HaproxyUnderTest.RequireOrSkip();
    }

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

    /// <summary>Every seeded entry with its expected gpc0: the learner's writes override, plus the learner-only key.</summary>
    private static Dictionary<string, string> Expected(LessonRun run)
    {
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < EntryCount; i++)
        {
            expected[Key(i)] = Seed(i).ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in run.Delivered.Concat(run.Pending).Append(run.NewKey))
        {
            expected[key] = value.ToString(CultureInfo.InvariantCulture);
        }

        return expected;
    }

    /// <summary>The recorded bytes prove the race really happened: delivered keys arrived before the hold, pending keys after the writes.</summary>
    private static void AssertLessonOrder(LessonRun run)
    {
        var updates = LessonUpdates(run.Connection.ServerToClient.ToArray());
        foreach (var (key, _) in run.DeliveredKeys)
        {
            var u = updates.First(u => u.Key == key);
            Assert.True(u.End <= run.HeldAt, $"{key}: lesson update ends at {u.End}, after the hold at {run.HeldAt}");
        }

        foreach (var (key, _) in run.PendingKeys)
        {
            var u = updates.FirstOrDefault(u => u.Key == key);
            Assert.True(u.Key is not null, $"{key} was not in the lesson");
            Assert.True(u.End > run.WrittenAt, $"{key}: lesson update ends at {u.End}, before the writes finished at byte {run.WrittenAt}");
        }
    }

    /// <summary>
    /// Keys of the complete updates before the lesson's end marker (<c>00 01</c>/<c>00 02</c>) in a
    /// recorded teacher→learner stream, in order, with their end offsets. (HAProxy 2.6 teaches a
    /// remote peer with plain 0x80/0x81 updates; the timed forms are for its local peer.)
    /// </summary>
    private static List<(string Key, long End)> LessonUpdates(byte[] stream)
    {
        var decoded = SessionDecoder.Decode(stream);
        return [.. decoded.Messages
            .TakeWhile(m => !(m.Kind == DecodedMessageKind.Control && m.Type is 1 or 2))
            .Where(m => m.Kind == DecodedMessageKind.Update && m.Key is not null)
            .Select(m => (Encoding.ASCII.GetString(m.Key!), m.Offset + m.Length))];
    }

    private async Task<(HaproxyProcess Hap, RecordingRelay Relay)> StartTeacherAsync(int hapPort, int unreachable, CancellationToken ct)
    {
        var relay = RecordingRelay.Start(hapPort, maxBytesPerDirection: 16 * 1024 * 1024);
        _scope.Own(relay);

        // The learner's address in the teacher's config is a reserved port nobody listens on, so the
        // only session is the learner's, through the relay.
        var hap = await StartHaproxyAsync("hap", Peers(("hap", hapPort), ("sp", unreachable), ("hap2", unreachable)), ct);
        await using (var prompt = await hap.Stats.OpenPromptAsync(ct))
        {
            var commands = Enumerable.Range(0, EntryCount).Select(i => $"set table {Table} key {Key(i)} data.gpc0 {Seed(i)}").ToList();
            var answers = await prompt.ExecuteManyAsync(commands, ct);
            Assert.All(answers, a => Assert.True(string.IsNullOrWhiteSpace(a), a));
        }

        await WaitResyncFinishedAsync(hap, ct);
        return (hap, relay);
    }

    private async Task<HaproxyProcess> StartHaproxyAsync(string name, string peers, CancellationToken ct)
    {
        var hap = await HaproxyProcess.StartAsync(new HaproxyOptions { LocalPeerName = name, Config = _ => HaproxyConfig.TcpDefaults + "\n" + peers }, ct);
        _scope.Own(hap);
        return hap;
    }

    /// <summary>
    /// Waits until the teacher's lesson is held after <see cref="HoldAfterBytes"/>, writes five keys the
    /// learner already has from the lesson, the last five keys (the lesson walks update ids, so they come
    /// last) and one key the teacher does not have, then releases the lesson.
    /// </summary>
    private static async Task<LessonRun> WriteDuringHeldLessonAsync(RecordingRelay relay, RelayValve valve, Node learner, CancellationToken ct)
    {
        var connection = await relay.WaitForConnectionAsync(c => c.ServerToClientValve == valve, s_wait, ct);
        var heldAt = await valve.Held.WaitAsync(s_wait, ct);
        var deliveredSoFar = LessonUpdates(connection.ServerToClient.ToArray());
        Assert.True(deliveredSoFar.Count >= 20, $"only {deliveredSoFar.Count} lesson updates before the hold:\n{string.Join('\n', SessionDecoder.Decode(connection.ServerToClient.ToArray()).Lines.Take(12))}");

        var delivered = deliveredSoFar.Take(5).Select((u, i) => (u.Key, 700_000L + i)).ToList();
        var pending = Enumerable.Range(EntryCount - 5, 5).Select(i => (Key(i), 800_000L + i)).ToList();
        Assert.DoesNotContain(deliveredSoFar, u => pending.Any(p => p.Item1 == u.Key));

        // The learner has applied what was delivered (so these writes come after the lesson's values).
        await WaitUntilAsync(learner, dump => delivered.All(d => dump.Find(d.Key) is not null), "the delivered keys", ct);
        foreach (var (key, value) in delivered.Concat(pending).Append(("learner-only", 42L)))
        {
            var answer = await learner.Set!(key, value, ct);
            Assert.True(string.IsNullOrWhiteSpace(answer), answer);
        }

        var writtenAt = valve.Forwarded;
        Assert.False(connection.IsClosed, "the lesson session ended while it was held");
        valve.Release();
        return new LessonRun(connection, heldAt, writtenAt, delivered, pending, ("learner-only", 42L)) { DeliveredKeys = delivered, PendingKeys = pending };
    }

    private static Task WaitUntilAsync(Node node, Func<TableDump, bool> condition, string what, CancellationToken ct) =>
        TableWaits.UntilAsync(node.Name, node.Show, condition, what, s_wait, ct);

    private static Task WaitForTableAsync(Node node, Dictionary<string, string> expected, HaproxyProcess logSource, CancellationToken ct) =>
        TableWaits.ExactGpc0Async(node.Name, node.Show, expected, s_wait, TimeSpan.FromMilliseconds(500),
            () => $"haproxy {logSource.LocalPeerName} log:\n{logSource.Output}", ct);

    /// <summary>Waits until HAProxy's resync state is FINISHED (flags bits LOCAL|REMOTE), so it teaches with <c>00 01</c> and asks nobody.</summary>
    private static async Task WaitResyncFinishedAsync(HaproxyProcess hap, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var text = string.Empty;
        while (watch.Elapsed < s_wait)
        {
            text = await hap.Stats.SendAsync("show peers", ct);
            var m = SectionFlags().Match(text);
            if (m.Success && (int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) & 3) == 3)
            {
                return;
            }

            await Task.Delay(200, ct);
        }

        Assert.Fail($"haproxy {hap.LocalPeerName} never finished its own resync:\n{text}");
    }

    [GeneratedRegex(@"id=mesh disabled=\d+ flags=0x([0-9a-fA-F]+)")]
    private static partial Regex SectionFlags();

    private sealed record Node(string Name, Func<CancellationToken, Task<string>> Show, Func<string, long, CancellationToken, Task<string>>? Set);

    /// <summary>What happened while the lesson was held (<see cref="Delivered"/>/<see cref="Pending"/> may be cleared for an expectation; the order check uses the copies).</summary>
    private sealed record LessonRun(
        RelayConnection Connection,
        long HeldAt,
        long WrittenAt,
        IReadOnlyList<(string Key, long Value)> Delivered,
        IReadOnlyList<(string Key, long Value)> Pending,
        (string Key, long Value) NewKey)
    {
        /// <summary>The keys written after the lesson had delivered them.</summary>
        public required IReadOnlyList<(string Key, long Value)> DeliveredKeys { get; init; }

        /// <summary>The keys written before their lesson value arrived.</summary>
        public required IReadOnlyList<(string Key, long Value)> PendingKeys { get; init; }
    }
}
