// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>Runs many seeds and summarizes (failures with their replay line, seeds per second).</summary>
internal static class SimCampaign
{
    /// <summary>Print a progress line every 250 seeds (long campaigns).</summary>
    public static bool Progress { get; set; }

    public static (int Seeds, List<SimResult> Failures, double SeedsPerSecond, long Writes, long StrictChecks, long WeakChecks) Run(
        IEnumerable<int> seeds, Func<SimNodeContext, ISimNode> factory, bool faults = true, SimWriteMode mode = SimWriteMode.OwnerPerKey, int stopAfterFailures = 5, bool wrapCounters = false)
    {
        var failures = new List<SimResult>();
        var sw = Stopwatch.StartNew();
        var count = 0;
        long writes = 0, strict = 0, weak = 0;
        foreach (var seed in seeds)
        {
            var result = new Simulation(SimScenario.FromSeed(seed, faults, mode, wrapCounters), factory).Run();
            count++;
            if (Progress && count % 250 == 0)
            {
                Console.WriteLine($"campaign progress: {count} seeds (last {seed}), {failures.Count + (result.Passed ? 0 : 1)} failed, {count / sw.Elapsed.TotalSeconds:F1} seeds/s");
            }

            writes += result.Writes;
            strict += result.StrictChecks;
            weak += result.WeakChecks;
            if (!result.Passed)
            {
                failures.Add(result);
                if (failures.Count >= stopAfterFailures)
                {
                    break;
                }
            }
        }

        return (count, failures, count / Math.Max(sw.Elapsed.TotalSeconds, 1e-9), writes, strict, weak);
    }

    /// <summary>Seeds from the environment variable, or the default count starting at <paramref name="first"/>.</summary>
    public static IEnumerable<int> Seeds(string variable, int defaultCount, int first = 1)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        var count = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : defaultCount;
        var start = int.TryParse(Environment.GetEnvironmentVariable("STICKPEER_SIM_FIRST_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var f) ? f : first;
        return Enumerable.Range(start, count);
    }

    public static string Summary(string what, (int Seeds, List<SimResult> Failures, double SeedsPerSecond, long Writes, long StrictChecks, long WeakChecks) r) =>
        $"{what}: {r.Seeds} seeds, {r.Failures.Count} failed, {r.SeedsPerSecond:F1} seeds/s, {r.Writes} writes, {r.StrictChecks} exact + {r.WeakChecks} relaxed value checks" +
        (r.Failures.Count == 0 ? "" : Environment.NewLine + string.Join(Environment.NewLine, r.Failures.Select(f => f.Describe())));
}
