// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Node.Composition;
using Stickpeer.Node.Diagnostics;
using Stickpeer.Node.Persistence;
using Stickpeer.Node.Tests.Transport;
using Stickpeer.Node.Transport;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Node.Tests.Diagnostics;

/// <summary>A started node built like the daemon's (engine tables), with its meters in a factory of its own.</summary>
internal sealed class MetricsNode : IAsyncDisposable
{
    private MetricsNode(StickpeerNode node, IReadOnlyList<StickTable> tables, TestMeterFactory meters, NodePersistence? persistence)
    {
        Node = node;
        Tables = tables;
        Meters = meters;
        Persistence = persistence;
        Metrics = new NodeMetrics(node, meters, persistence);
    }

    public StickpeerNode Node { get; }

    public IReadOnlyList<StickTable> Tables { get; }

    public TestMeterFactory Meters { get; }

    public NodeMetrics Metrics { get; }

    public NodePersistence? Persistence { get; }

    public static MetricsNode Start(string localName, string config, IPeerTransport? transport = null, PersistenceOptions? persistence = null, ILoggerFactory? loggers = null, global::Stickpeer.Node.Configuration.PeerLimits? limits = null)
    {
        var meters = new TestMeterFactory();
        var configuration = TestNode.Parse(localName, config) with { Limits = limits ?? global::Stickpeer.Node.Configuration.PeerLimits.Default };
        var built = NodeBuilder.Build(configuration, TimeProvider.System, loggers ?? NullLoggerFactory.Instance, meters, transport, persistence: persistence);
        var node = new MetricsNode(built.Node, built.Tables, meters, built.Persistence);
        built.Node.Start();
        return node;
    }

    /// <summary>Polls <paramref name="condition"/> under the host lock (bounded: 30 s, 600 polls).</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 600; i++)
        {
            if (Node.Host.Invoke(condition))
            {
                return;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Fail("timed out waiting until " + what);
    }

    /// <summary>Every series of the <c>Stickpeer.Node</c> instrument <paramref name="instrument"/> now (a fresh observation).</summary>
    public IReadOnlyList<CollectedMeasurement<long>> Series(string instrument)
    {
        using var collector = new MetricCollector<long>(Meters, NodeMetrics.MeterName, instrument);
        Metrics.Invalidate();
        collector.RecordObservableInstruments();
        return collector.GetMeasurementSnapshot();
    }

    /// <summary>The value of the one series of <paramref name="instrument"/> with these tags (fails unless exactly one matches).</summary>
    public long Observe(string instrument, params (string Name, string Value)[] tags)
    {
        var matches = Series(instrument).Where(m => tags.All(t => Equals(m.Tags[t.Name], t.Value))).ToList();
        Assert.True(matches.Count == 1, $"{instrument}: {matches.Count} series match");
        return matches[0].Value;
    }

    public async ValueTask DisposeAsync()
    {
        Metrics.Dispose();
        await Node.DisposeAsync();
        Meters.Dispose();
    }
}
