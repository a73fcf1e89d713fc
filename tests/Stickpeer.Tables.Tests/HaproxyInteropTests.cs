// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Stickpeer.Protocol.Model;
using Stickpeer.Admin.Tables;
using Stickpeer.Tables.Declaration;
using Stickpeer.Tables.Engine;
using Stickpeer.TestKit.Haproxy;

namespace Stickpeer.Tables.Tests;

/// <summary>Compares our rate formula and <c>show table</c> layout with a real HAProxy 2.6.</summary>
[Trait("Category", "Interop")]
public partial class HaproxyInteropTests
{
    // HAProxy's now_ms moves with its poll loop; allow this much on each side of a measured bracket.
    private const long ClockSlackMs = 15;

    private static readonly (string Name, string Declaration)[] s_tables =
    [
        ("st", "type string len 32 size 2m expire 30m store gpc0,http_req_rate(10s),conn_cnt,server_id,gpt(2),gpc_rate(2,1m),server_key,bytes_in_cnt,conn_cur,http_err_rate(10s),gpc1"),
        ("ip", "type ip size 1k expire 10m store gpc(3),sess_cnt"),
        ("i6", "type ipv6 size 1k store gpt0"),
        ("in", "type integer size 1k expire 10m store gpt0,bytes_out_cnt"),
    ];

    [Fact]
    public async Task RateRead_AtMeasuredAges_MatchesHaproxy()
    {
        SkipWithoutHaproxy();
        var ct = TestContext.Current.CancellationToken;
        const uint Period = 1000;
        await using var hap = await HaproxyProcess.StartAsync(
            new HaproxyOptions
            {
                LocalPeerName = "rates",
                Config = _ => HaproxyConfig.TcpDefaults + "backend r\n    stick-table type string size 1k expire 1m store http_req_rate(1s)\n",
            },
            ct);
        var clock = Stopwatch.StartNew();
        var sets = new Dictionary<string, (uint Value, long From, long To)>();
        foreach (var (key, value) in new[] { ("ten", 10u), ("one", 1u), ("three", 3u) })
        {
            var from = clock.ElapsedMilliseconds;
            Assert.Equal(string.Empty, (await hap.Stats.SendAsync($"set table r key {key} data.http_req_rate {value}", ct)).Trim());
            sets[key] = (value, from, clock.ElapsedMilliseconds);
        }

        var compared = 0;
        foreach (var target in new long[] { 300, 1200, 1500, 1800, 2300 })
        {
            var wait = target - clock.ElapsedMilliseconds;
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait), ct);
            }

            var q0 = clock.ElapsedMilliseconds;
            var dump = await hap.Stats.ShowTableAsync("r", ct);
            var q1 = clock.ElapsedMilliseconds;
            foreach (var (key, (value, from, to)) in sets)
            {
                var observed = uint.Parse(dump.Find(key)!["http_req_rate(1000)"]!, CultureInfo.InvariantCulture);

                // The age HAProxy used lies in [q0 - to, q1 - from]: our formula must give the
                // observed value for some age in that bracket (widened by the clock slack).
                var lo = Math.Max(0, q0 - to - ClockSlackMs);
                var hi = q1 - from + ClockSlackMs;
                var allowed = new HashSet<uint>();
                for (var age = lo; age <= hi; age++)
                {
                    allowed.Add(FreqCounter.ReadAtAge((uint)age, value, 0, Period));
                }

                Assert.True(allowed.Contains(observed), $"key {key}={value}: HAProxy shows {observed} at age {lo}..{hi} ms, our formula gives {{{string.Join(',', allowed)}}}");
                compared++;
            }
        }

        Assert.Equal(15, compared);
    }

    [Fact]
    public async Task ShowTable_Layout_MatchesHaproxy26()
    {
        SkipWithoutHaproxy();
        var ct = TestContext.Current.CancellationToken;
        var config = HaproxyConfig.TcpDefaults + string.Concat(s_tables.Select(t => $"backend {t.Name}\n    stick-table {t.Declaration}\n"));
        await using var hap = await HaproxyProcess.StartAsync(new HaproxyOptions { LocalPeerName = "layout", Config = _ => config }, ct);

        // (table, key, data assignments: name, index, value). HAProxy 2.6 has no index syntax in
        // set table: data.gpt sets element 0 (data.gpt[1] is an "Unknown data type").
        var entries = new (string Table, string Key, (string Name, int? Index, long Value)[] Data)[]
        {
            ("st", "abc", [("gpc0", null, 5), ("http_req_rate", null, 7), ("server_id", null, -3), ("gpt", null, 9), ("gpc_rate", null, 4), ("bytes_in_cnt", null, 5000000000), ("conn_cnt", null, 4294967297)]),
            ("st", "a b=c", [("gpc1", null, 1)]),
            ("ip", "10.0.0.1", [("gpc", null, 42), ("sess_cnt", null, 3)]),
            ("i6", "::ffff:10.0.0.1", [("gpt0", null, 1)]),
            ("in", "4294967295", [("gpt0", null, 8), ("bytes_out_cnt", null, 123)]),
        };

        var ours = s_tables.ToDictionary(
            t => t.Name,
            t => StickTable.Create(StickTableDeclaration.Parse(t.Declaration.Split(' ')).Declaration!, t.Name, t.Name));
        foreach (var (table, key, data) in entries)
        {
            var words = string.Join(' ', data.Select(d => $"data.{d.Name}{(d.Index is { } i ? $"[{i}]" : string.Empty)} {d.Value}"));
            var answer = await hap.Stats.SendAsync($"set table {table} key {key.Replace(" ", "\\ ", StringComparison.Ordinal)} {words}", ct);
            Assert.Equal(string.Empty, answer.Trim());
            var t = ours[table];
            var assignments = data.Select(d =>
            {
                Assert.True(DataTypeCatalogue.TryGetByName(d.Name, out var info));
                return new DataAssignment(info.Type, d.Index ?? 0, d.Value);
            }).ToArray();
            Assert.Equal(LocalUpdateStatus.Created, t.Set(t.Key(key), assignments));
        }

        foreach (var (name, _) in s_tables)
        {
            var theirs = await hap.Stats.SendAsync("show table " + name, ct);
            var writer = new StringWriter();
            // HAProxy 2.7+ prints shard= after exp=: compare with the line of the version under test.
            ShowTableFormatter.WriteTable(writer, ours[name], dialect: HaproxyAvailability.PrintsShard ? CliDialect.Haproxy3 : CliDialect.Haproxy26);
            var mine = writer.ToString();
            Assert.Equal(Normalize(theirs), Normalize(mine));
        }
    }

    private static void SkipWithoutHaproxy()
    {
        if (!HaproxyAvailability.IsInstalled)
        {
            Assert.Skip(HaproxyAvailability.SkipReason);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(HaproxyAvailability.Describe());
    }

    /// <summary>Drops what legitimately differs (entry address, ms of expiry left) and sorts entry lines.</summary>
    private static List<string> Normalize(string dump)
    {
        var lines = dump.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => ExpireRegex().Replace(AddressRegex().Replace(l, "0xADDR:"), m => m.Value == "exp=0" ? "exp=0" : "exp=N"))
            .ToList();
        return [lines[0], .. lines.Skip(1).Order(StringComparer.Ordinal)];
    }

    [GeneratedRegex("^0x[0-9a-f]+:")]
    private static partial Regex AddressRegex();

    [GeneratedRegex(@"exp=\d+")]
    private static partial Regex ExpireRegex();
}
