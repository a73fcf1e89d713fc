// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using Stickpeer.TestKit.Haproxy;

namespace Stickpeer.Interop.Tests.Lessons;

/// <summary>
/// The lesson tests' bounded waits on a node's <c>show table</c> (HAProxy's or Stickpeer's): until
/// a condition holds, or until the table holds exactly the expected keys with the expected
/// <c>gpc0</c>; each names what it saw when it gives up.
/// </summary>
internal static class TableWaits
{
    /// <summary>
    /// Polls <paramref name="show"/> every 100 ms until its single table satisfies
    /// <paramref name="condition"/>, for at most <paramref name="wait"/>; then fails naming
    /// <paramref name="what"/> and the start of the last dump.
    /// </summary>
    public static async Task UntilAsync(
        string who,
        Func<CancellationToken, Task<string>> show,
        Func<TableDump, bool> condition,
        string what,
        TimeSpan wait,
        CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var text = string.Empty;
        while (watch.Elapsed < wait)
        {
            text = await show(ct);
            if (TableDump.Parse(text) is [var dump] && condition(dump))
            {
                return;
            }

            await Task.Delay(100, ct);
        }

        Assert.Fail($"{who} never showed {what}:\n{(text.Length > 2000 ? text[..2000] + "…" : text)}");
    }

    /// <summary>
    /// Polls <paramref name="show"/> every <paramref name="poll"/> until the dump matches
    /// <paramref name="expected"/> (key → gpc0), for at most <paramref name="wait"/>; then fails with
    /// the first differences and <paramref name="context"/> (e.g. a HAProxy log).
    /// </summary>
    public static async Task ExactGpc0Async(
        string who,
        Func<CancellationToken, Task<string>> show,
        IReadOnlyDictionary<string, string> expected,
        TimeSpan wait,
        TimeSpan poll,
        Func<string> context,
        CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var differences = new List<string>();
        while (watch.Elapsed < wait)
        {
            var dumps = TableDump.Parse(await show(ct));
            differences = dumps.Count == 1 ? Differences(dumps[0], expected) : ["no single table in the dump"];
            if (differences.Count == 0)
            {
                return;
            }

            await Task.Delay(poll, ct);
        }

        Assert.Fail($"{who} does not hold the expected entries ({differences.Count} differences):\n{string.Join('\n', differences.Take(20))}\n{context()}");
    }

    private static List<string> Differences(TableDump dump, IReadOnlyDictionary<string, string> expected)
    {
        var differences = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in dump.Entries)
        {
            seen.Add(line.Key);
            if (!expected.TryGetValue(line.Key, out var want))
            {
                differences.Add($"unexpected key {line.Key}");
            }
            else if (line["gpc0"] != want)
            {
                differences.Add($"{line.Key}: gpc0={line["gpc0"]}, expected {want}");
            }
        }

        differences.AddRange(expected.Keys.Where(k => !seen.Contains(k)).Select(k => $"missing {k}"));
        return differences;
    }
}
