// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Text.RegularExpressions;
using Stickpeer.Node.Diagnostics;

namespace Stickpeer.Node.Tests.Http;

/// <summary>/metrics serves the node's instruments in Prometheus text (names, labels, values).</summary>
public sealed class HttpMetricsTests
{
    // Names of their own: the exporter sees every Stickpeer meter of the test process.
    private const string Config = """
        peers metricsmesh
            peer other 127.0.0.1:23456
            peer m2 127.0.0.1:23457
            table mt type string len 16 size 64 expire 1m store gpc0

        """;

    [Fact]
    public async Task Metrics_AfterAWrite_TableAndPeerSeriesInPrometheusText()
    {
        await using var api = await HttpApiFixture.StartAsync(config: Config);
        using var metrics = new NodeMetrics(api.Node.Context.Node);
        Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(HttpMethod.Put, "/api/tables/metricsmesh%2Fmt/entries/k1", """{"gpc0": 1}""")).Status);

        using var response = await api.Client.GetAsync("/metrics", TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Matches(Series("stickpeer_table_used", "table=\"metricsmesh/mt\"", "1"), text);
        Assert.Matches(Series("stickpeer_table_size", "table=\"metricsmesh/mt\"", "64"), text);
        Assert.Matches(Series("stickpeer_peer_up", "peer=\"m2\",section=\"metricsmesh\"", "0"), text);
        Assert.Matches(Series("stickpeer_resync_finished", "section=\"metricsmesh\"", "0"), text);
        Assert.Contains("# TYPE stickpeer_peer_collisions_total counter", text, StringComparison.Ordinal);
    }

    private static Regex Series(string name, string labels, string value) =>
        new($"(?m)^{name}\\{{[^}}]*{Regex.Escape(labels)}[^}}]*\\}} {value}( |$)");
}
