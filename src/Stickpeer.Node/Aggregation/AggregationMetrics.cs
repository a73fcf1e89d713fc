// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.Metrics;
using Stickpeer.Node.Diagnostics;

namespace Stickpeer.Node.Aggregation;

/// <summary>
/// Instruments of the aggregation rules, per output table. They read counters the rules publish
/// (single-writer longs and table counts, no node lock); docs/aggregation.md lists them.
/// </summary>
public static class AggregationMetrics
{
    /// <summary>Creates the instruments on the node's meter (<see cref="NodeMetrics.MeterName"/>).</summary>
    public static void Register(IMeterFactory meters, AggregationSet set)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(set);
        if (set.Rules.Count == 0)
        {
            return;
        }

        var meter = meters.Create(NodeMetrics.MeterName);
        meter.CreateObservableGauge(
            "stickpeer.aggregation.contributors",
            () => set.Rules.Select(r => new Measurement<long>(r.Contributors, Tag(r))),
            "{entry}",
            "Live contributions (a peer's entry of a source table) behind each output table.");
        meter.CreateObservableCounter(
            "stickpeer.aggregation.recomputes",
            () => set.Rules.Select(r => new Measurement<long>(r.Recomputes, Tag(r))),
            "{entry}",
            "Output entries recomputed (per batch of received updates, and when a contribution expires).");
        meter.CreateObservableCounter(
            "stickpeer.aggregation.contributions",
            () => set.Rules.Select(r => new Measurement<long>(r.ContributionsReceived, Tag(r))),
            "{update}",
            "Source-table updates from peers taken as contributions.");
    }

    private static KeyValuePair<string, object?> Tag(Aggregator rule) => new("table", rule.Output.Name);
}
