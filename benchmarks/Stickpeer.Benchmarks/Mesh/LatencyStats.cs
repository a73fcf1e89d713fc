// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;

namespace Stickpeer.Benchmarks.Mesh;

/// <summary>What the loopback benchmarks (mesh, fanin, aggregation-latency) report: percentiles of probe latencies and the process's RSS.</summary>
internal static class LatencyStats
{
    /// <summary>The nearest-rank percentile <paramref name="p"/> (0–1) of <paramref name="values"/>, NaN when there are none.</summary>
    public static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>The resident set size of <paramref name="self"/>, read now.</summary>
    public static long Rss(Process self)
    {
        self.Refresh();
        return self.WorkingSet64;
    }
}
