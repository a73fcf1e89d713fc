// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>Outcome of many seeds.</summary>
internal sealed class SimCampaignResult
{
    public int Seeds { get; set; }

    public List<SimResult> Failures { get; } = [];

    public double SeedsPerSecond { get; set; }

    public long Writes { get; set; }

    public long StrictChecks { get; set; }

    public long WeakChecks { get; set; }

    /// <summary>Sum of every run's <see cref="SimResult.Tally"/>: which faults really happened, how often.</summary>
    public SortedDictionary<string, long> Tally { get; } = new(StringComparer.Ordinal);
}

/// <summary>Runs many seeds and summarizes (failures with their replay line, seeds per second, fault tally).</summary>
internal static class SimCampaign
{
    /// <summary>Print a progress line every 250 seeds (long campaigns).</summary>
    public static bool Progress { get; set; }

    public static SimCampaignResult Run(
        IEnumerable<int> seeds, Func<SimNodeContext, ISimNode> factory, bool faults = true, SimWriteMode mode = SimWriteMode.OwnerPerKey, int stopAfterFailures = 5, bool wrapCounters = false)
    {
        var r = new SimCampaignResult();
        var sw = Stopwatch.StartNew();
        foreach (var seed in seeds)
        {
            var result = new Simulation(SimScenario.FromSeed(seed, faults, mode, wrapCounters), factory).Run();
            r.Seeds++;
            if (Progress && r.Seeds % 250 == 0)
            {
                Console.WriteLine($"campaign progress: {r.Seeds} seeds (last {seed}), {r.Failures.Count + (result.Passed ? 0 : 1)} failed, {r.Seeds / sw.Elapsed.TotalSeconds:F1} seeds/s");
            }

            r.Writes += result.Writes;
            r.StrictChecks += result.StrictChecks;
            r.WeakChecks += result.WeakChecks;
            foreach (var (what, n) in result.Tally)
            {
                r.Tally[what] = r.Tally.GetValueOrDefault(what) + n;
            }

            if (!result.Passed)
            {
                r.Failures.Add(result);
                if (r.Failures.Count >= stopAfterFailures)
                {
                    break;
                }
            }
        }

        r.SeedsPerSecond = r.Seeds / Math.Max(sw.Elapsed.TotalSeconds, 1e-9);
        return r;
    }

    /// <summary>Seeds from the environment variable, or the default count starting at <paramref name="first"/>.</summary>
    public static IEnumerable<int> Seeds(string variable, int defaultCount, int first = 1)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        var count = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : defaultCount;
        var start = int.TryParse(Environment.GetEnvironmentVariable("STICKPEER_SIM_FIRST_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var f) ? f : first;
        return Enumerable.Range(start, count);
    }

    public static string Summary(string what, SimCampaignResult r) =>
        $"{what}: {r.Seeds} seeds, {r.Failures.Count} failed, {r.SeedsPerSecond:F1} seeds/s, {r.Writes} writes, {r.StrictChecks} exact + {r.WeakChecks} relaxed value checks" +
        Environment.NewLine + "  faults and events: " + string.Join(", ", r.Tally.Select(kv => $"{kv.Key} {kv.Value}")) +
        (r.Failures.Count == 0 ? "" : Environment.NewLine + string.Join(Environment.NewLine, r.Failures.Select(f => f.Describe())));
}
