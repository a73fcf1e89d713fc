// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using Stickpeer.TestKit.Haproxy;

namespace Stickpeer.Interop.Tests.Matrix;

/// <summary>
/// Every key type and every data type of HAProxy 2.6 (see <see cref="MatrixTables"/>), in both
/// directions, live and by full resync, plain and over TLS: each side's <c>show table</c> must
/// print what the other side printed (rates within HAProxy's ±1 rounding, the local-only
/// <c>conn_cur</c> never learned).
/// </summary>
[Trait("Category", "Interop")]
public sealed class DataTypeMatrixTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryKeyAndDataType_ReplicatesLiveAndByResync_BothWays(bool tls)
    {
        HaproxyUnderTest.RequireOrSkip();
        var ct = TestContext.Current.CancellationToken;
        await using var pair = new MatrixPair(tls);
        await pair.StartHaproxyAsync(ct);
        await pair.StartStickpeerAsync(ct);
        var hap = pair.Haproxy!.Stats;

        // Live, HAProxy -> Stickpeer: its CLI writes what it can, its traffic the binary keys and server_key.
        foreach (var (table, key, arrays) in MatrixTables.Writable.Where(t => t.Key.CliCanWrite))
        {
            AssertAccepted(await hap.SendAsync(MatrixTables.SetCommand(table, arrays, key.HaproxyKey, byStickpeer: false), ct));
        }

        await pair.SendTrafficAsync(binary: true, Convert.FromHexString(MatrixTables.KeyTypes.Single(k => !k.CliCanWrite).HaproxyKey), ct);
        await pair.SendTrafficAsync(binary: false, MatrixTables.ServerKeyPayload.ToArray(), ct);
        await WaitSameAsync(hap, "haproxy", pair.Stickpeer, "stickpeer", pair, new Phase("hap-to-sp-live", tls, ByTraffic: true), ct);

        // Live, Stickpeer -> HAProxy (binary keys and server_key go this way in the last resync).
        foreach (var (table, key, arrays) in MatrixTables.Writable.Where(t => t.Key.StickpeerKey is not null))
        {
            AssertAccepted(await pair.Stickpeer.SendAsync(MatrixTables.SetCommand(table, arrays, key.StickpeerKey!, byStickpeer: true), ct));
        }

        await WaitSameAsync(pair.Stickpeer, "stickpeer", hap, "haproxy", pair, new Phase("sp-to-hap-live", tls, ByTraffic: false), ct);

        // Full resync, HAProxy teaching a restarted Stickpeer.
        await pair.StopStickpeerAsync();
        await pair.StartStickpeerAsync(ct);
        await WaitSameAsync(hap, "haproxy", pair.Stickpeer, "restarted stickpeer", pair, new Phase("hap-teaches-sp", tls, ByTraffic: true), ct);

        // Full resync, Stickpeer teaching a restarted HAProxy.
        await pair.KillHaproxyAsync();
        await pair.StartHaproxyAsync(ct);
        await WaitSameAsync(pair.Stickpeer, "stickpeer", pair.Haproxy!.Stats, "restarted haproxy", pair, new Phase("sp-teaches-hap", tls, ByTraffic: true), ct);
    }

    private static void AssertAccepted(string answer) => Assert.True(string.IsNullOrWhiteSpace(answer), answer);

    /// <summary>Polls both sides until every table of the learner holds every entry of the source, equal.</summary>
    private static async Task WaitSameAsync(StatsSocketClient source, string sourceName, StatsSocketClient learner, string learnerName, MatrixPair pair, Phase phase, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var differences = new List<string>();
        while (watch.Elapsed < s_wait)
        {
            differences.Clear();
            foreach (var table in MatrixTables.AllNames)
            {
                var name = $"{MatrixTables.Section}/{table}";
                var from = await source.ShowTableAsync(name, ct);
                var to = await learner.ShowTableAsync(name, ct);
                if (from.Entries.Count == 0)
                {
                    differences.Add($"{name}: {sourceName} has no entry");
                }

                differences.AddRange(TableDifferences(name, from, to, learnerName));
            }

            if (differences.Count == 0)
            {
                phase.Report(passed: true);
                return;
            }

            await Task.Delay(250, ct);
        }

        phase.Report(passed: false);
        Assert.Fail($"{learnerName} does not hold what {sourceName} holds ({differences.Count} differences):\n{string.Join('\n', differences.Take(30))}\nhaproxy log:\n{pair.HaproxyLog}");
    }

    private static IEnumerable<string> TableDifferences(string table, TableDump source, TableDump learner, string learnerName)
    {
        if (learner.Entries.Count != source.Entries.Count)
        {
            yield return $"{table}: {learnerName} has {learner.Entries.Count} entries, expected {source.Entries.Count}";
        }

        foreach (var want in source.Entries)
        {
            if (learner.Find(want.Key) is not { } got)
            {
                yield return $"{table}: {learnerName} lacks key {want.Key}";
                continue;
            }

            foreach (var difference in EntryDifferences(want, got))
            {
                yield return $"{table} key {want.Key}: {difference}\n  source:  {want.Line}\n  learner: {got.Line}";
            }
        }
    }

    private static IEnumerable<string> EntryDifferences(TableEntryLine want, TableEntryLine got)
    {
        if (!want.Fields.Select(f => f.Key).SequenceEqual(got.Fields.Select(f => f.Key)))
        {
            yield return "different fields";
            yield break;
        }

        if (got.ExpireMs is <= 0 or > 600_000)
        {
            yield return $"exp={got.ExpireMs} outside (0, 600000]";
        }

        foreach (var (name, value) in want.Fields)
        {
            var learned = got[name]!;
            if (name == "conn_cur")
            {
                // Local-only: HAProxy does not apply a learned one, so the learner keeps its own
                // value (0 unless it wrote the entry itself), never the source's.
                if (value != "0" && learned == value)
                {
                    yield return $"conn_cur={learned} was learned, but it is local-only";
                }
            }
            else if (name.Contains("_rate(", StringComparison.Ordinal))
            {
                // A counter whose period rotated between the two reads can differ by HAProxy's rounding.
                if (Math.Abs(long.Parse(value, CultureInfo.InvariantCulture) - long.Parse(learned, CultureInfo.InvariantCulture)) > 1)
                {
                    yield return $"{name}={learned}, expected {value}±1";
                }
            }
            else if (learned != value)
            {
                yield return $"{name}={learned}, expected {value}";
            }
        }
    }

    /// <summary>
    /// One direction of the matrix. Its result goes to the test output as one <c>compat:</c> line, which
    /// <c>eng/compat-table.py</c> reads from the TRX files to write the table in docs/compatibility.md.
    /// </summary>
    /// <param name="Id">The phase, e.g. <c>hap-to-sp-live</c>.</param>
    /// <param name="Tls">Plain TCP or mutual TLS.</param>
    /// <param name="ByTraffic">True when entries written by HAProxy's traffic (binary keys, server_key) take part.</param>
    private sealed record Phase(string Id, bool Tls, bool ByTraffic)
    {
        public void Report(bool passed)
        {
            var types = MatrixTables.DataTypeNames.Where(t => ByTraffic || t != "server_key");
            var keys = MatrixTables.KeyTypes.Where(k => ByTraffic || k.CliCanWrite).Select(k => k.TypeWords.Replace(' ', '_'));
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"compat: phase={Id} mode={(Tls ? "tls" : "plain")} result={(passed ? "passed" : "failed")} types={string.Join(',', types)} keys={string.Join(',', keys)}");
        }
    }
}
