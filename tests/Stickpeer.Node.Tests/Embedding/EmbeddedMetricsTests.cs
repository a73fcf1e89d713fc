// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Stickpeer.Node.Embedding;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Embedding;

/// <summary>An embedded node creates its meters through the <see cref="IMeterFactory"/> it is given (no process-wide <c>new Meter</c>).</summary>
public sealed class EmbeddedMetricsTests
{
    [Fact]
    public async Task Meters_come_from_the_given_factory()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var scoped = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    lock (scoped)
                    {
                        scoped.Add(instrument.Meter.Name);
                    }
                }
            },
        };
        listener.Start();

        var options = new StickpeerOptions { LocalPeerName = "a", Bind = $"127.0.0.1:{FreePort.Get()}" };
        options.Tables.Add(new StickpeerTableDeclaration("t", "type ip size 1k store gpc0"));
        await using var node = new StickpeerNode(options, meters: factory);

        lock (scoped)
        {
            Assert.Contains("Stickpeer.Node", scoped);
            Assert.Contains("Stickpeer.Node.Transport", scoped);
            Assert.Contains("Stickpeer.Tables", scoped);
        }
    }
}
