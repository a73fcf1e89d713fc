// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.Metrics;

namespace Stickpeer.Node.Tests.Diagnostics;

/// <summary>Meters scoped to one test, so a <c>MetricCollector</c> sees this test's node and no other.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            _meters.ForEach(m => m.Dispose());
            _meters.Clear();
        }
    }
}
