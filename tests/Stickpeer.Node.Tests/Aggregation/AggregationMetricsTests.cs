// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Stickpeer.Node.Diagnostics;
using Stickpeer.Node.Tests.Diagnostics;

namespace Stickpeer.Node.Tests.Aggregation;

/// <summary>The aggregation instruments, per output table.</summary>
public sealed class AggregationMetricsTests
{
    [Fact]
    public void Contributions_AreCountedPerOutputTable_AndRecomputesOncePerKeyAndBatch()
    {
        using var meters = new TestMeterFactory();
        var h = new AggregationEngineTests.Harness(meters: meters);
        h.Send("h1", "k", new AggregationEngineTests.SenderState().Requests(h.NowTick, 1, null), reference: null);
        h.Send("h2", "k", new AggregationEngineTests.SenderState().Requests(h.NowTick, 1, null), reference: null);
        h.Source.EndReceiveBatch(); // one key in this batch: one recompute for two contributions
        h.Send("h1", "k2", new AggregationEngineTests.SenderState().Requests(h.NowTick, 1, null), reference: null);
        h.Source.EndReceiveBatch();

        Assert.Equal(3, Observe(meters, "stickpeer.aggregation.contributors"));
        Assert.Equal(2, Observe(meters, "stickpeer.aggregation.recomputes"));
        Assert.Equal(3, Observe(meters, "stickpeer.aggregation.contributions"));
    }

    private static long Observe(TestMeterFactory meters, string instrument)
    {
        using var collector = new MetricCollector<long>(meters, NodeMetrics.MeterName, instrument);
        collector.RecordObservableInstruments();
        var m = Assert.Single(collector.GetMeasurementSnapshot());
        Assert.Equal("agg/global", m.Tags["table"]);
        return m.Value;
    }
}
