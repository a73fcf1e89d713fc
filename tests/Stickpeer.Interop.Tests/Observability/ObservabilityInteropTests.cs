// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text.Json;
using System.Text.RegularExpressions;
using Spectre.Console.Testing;
using Stickpeer.Daemon.Top;
using Stickpeer.Interop.Tests.Lessons;
using Stickpeer.TestKit;
using Stickpeer.TestKit.Haproxy;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Interop.Tests.Observability;

/// <summary>
/// The HTTP API and /metrics of a running daemon peered with a real HAProxy; <c>stickpeer wait-ready</c> and
/// <c>top --socket</c> on HAProxy's own stats socket and the daemon's admin socket: one tool watches both sides.
/// </summary>
[Trait("Category", "Interop")]
public sealed partial class ObservabilityInteropTests : IAsyncDisposable
{
    private readonly TestScope _scope = new("stickpeer-http-");

    public ValueTask DisposeAsync() => _scope.DisposeAsync();

    [Fact]
    public async Task DaemonPeeredWithHaproxy_ApiAndMetricsShowThePeerAndItsEntries()
    {
        HaproxyUnderTest.RequireOrSkip();
        var ct = TestContext.Current.CancellationToken;
        var (hap, sp) = await StartPairAsync(ct, "--http", "127.0.0.1:0");
        using var http = new HttpClient { BaseAddress = new Uri("http://" + sp.Endpoints["http"]), Timeout = TimeSpan.FromSeconds(30) };

        // The session comes up and the entry HAProxy holds arrives (lesson or push).
        var peer = await PollAsync(http, "/api/peers", b => b.GetProperty("sections")[0].GetProperty("peers")[0] is var p && p.GetProperty("up").GetBoolean() ? p : (JsonElement?)null, ct);
        Assert.Equal("hap", peer.GetProperty("name").GetString());
        Assert.Equal(200, peer.GetProperty("lastStatus").GetInt32());
        var entry = await PollAsync(http, "/api/tables/mesh/t?key=10.0.0.1", b => b.GetProperty("entries") is { ValueKind: JsonValueKind.Array } e && e.GetArrayLength() == 1 ? e[0] : (JsonElement?)null, ct);
        Assert.Equal(7, entry.GetProperty("data").GetProperty("gpc0").GetInt64());
        Assert.True(entry.GetProperty("learned").GetBoolean());

        // A write through the API reaches HAProxy, like one through set table.
        using (var put = await http.PutAsync("/api/tables/mesh%2Ft/entries/10.0.0.2", new StringContent("""{"gpc0": 9}""", System.Text.Encoding.UTF8, "application/json"), ct))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, put.StatusCode);
        }

        for (var i = 0; i < 300 && !(await hap.Stats.SendAsync("show table mesh/t key 10.0.0.2", ct)).Contains("gpc0=9", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100, ct);
        }

        Assert.Contains("gpc0=9", await hap.Stats.SendAsync("show table mesh/t key 10.0.0.2", ct), StringComparison.Ordinal);

        // The peer's series are on /metrics, in Prometheus text.
        // Scraped until the peer's series show (bounded): the exporter's first collection can come
        // before the instruments' first observation.
        var metrics = await http.GetStringAsync("/metrics", ct);
        for (var i = 0; i < 100 && !Series("stickpeer_peer_up", "peer=\"hap\"", "1").IsMatch(metrics); i++)
        {
            await Task.Delay(100, ct);
            metrics = await http.GetStringAsync("/metrics", ct);
        }

        Assert.True(Series("stickpeer_peer_up", "peer=\"hap\"", "1").IsMatch(metrics), "no stickpeer_peer_up for hap in:\n" + metrics);
        Assert.Matches(Series("stickpeer_peer_last_status", "peer=\"hap\"", "200"), metrics);
        Assert.Matches(Series("stickpeer_table_used", "table=\"mesh/t\"", "2"), metrics);
        Assert.Matches(Series("stickpeer_peer_traffic_bytes_total", "direction=\"in\",peer=\"hap\"", "[1-9][0-9]*"), metrics);
    }

    [Fact]
    public async Task WaitReadyAndTopOverSockets_BothSidesReadyThenShownUpWithTheirEntries()
    {
        HaproxyUnderTest.RequireOrSkip();
        var ct = TestContext.Current.CancellationToken;
        var (hap, sp) = await StartPairAsync(ct);

        // Stickpeer learns from HAProxy; HAProxy asks Stickpeer in turn. Both end their resync.
        foreach (var socket in new[] { sp.SocketPath, hap.StatsSocketPath })
        {
            var console = new TestConsole().Width(300);
            var stderr = new StringWriter();
            var code = await WaitReadyCommand.RunAsync(["--socket", socket, "--timeout", "30s"], console, stderr, null, TimeProvider.System, ct);
            Assert.True(code == 0, $"wait-ready on {socket}: exit {code}: {stderr}\n{console.Output}");
            Assert.Contains("ready: mesh finished; mesh/t 1 entries", console.Output, StringComparison.Ordinal);
        }

        // top on HAProxy's socket shows the Stickpeer peer established, and the reverse.
        foreach (var (socket, remote) in new[] { (hap.StatsSocketPath, "sp"), (sp.SocketPath, "hap") })
        {
            var frame = string.Empty;
            for (var i = 0; i < 100 && !PeerRowUp(frame, remote); i++)
            {
                var console = new TestConsole().Width(300);
                Assert.Equal(0, await TopCommand.RunAsync(["--socket", socket, "--once"], console, TextWriter.Null, null, TimeProvider.System, ct));
                frame = console.Output;
                if (!PeerRowUp(frame, remote))
                {
                    await Task.Delay(100, ct);
                }
            }

            Assert.True(PeerRowUp(frame, remote), $"top --socket {socket} never showed {remote} established:\n{frame}");
            Assert.Contains(frame.Split('\n'), l => l.Contains("mesh/t", StringComparison.Ordinal) && l.Contains("1 / 1024", StringComparison.Ordinal));
        }
    }

    /// <summary>A real HAProxy <c>hap</c> holding one entry (10.0.0.1, gpc0 7) and a Stickpeer daemon <c>sp</c> peered with it.</summary>
    private async Task<(HaproxyProcess Hap, StickpeerDaemon Sp)> StartPairAsync(CancellationToken ct, params string[] daemonArgs)
    {
        var ports = FreePort.GetMany(2);
        var peers = $"""
            peers mesh
                peer hap 127.0.0.1:{ports[0]}
                peer sp 127.0.0.1:{ports[1]}
                table t type ip size 1k expire 10m store gpc0

            """;
        var hap = _scope.Own(await HaproxyProcess.StartAsync(new HaproxyOptions { LocalPeerName = "hap", Config = _ => HaproxyConfig.TcpDefaults + "\n" + peers }, ct));
        Assert.True(string.IsNullOrWhiteSpace(await hap.Stats.SendAsync("set table mesh/t key 10.0.0.1 data.gpc0 7", ct)));
        var sp = _scope.Own(await StickpeerDaemon.StartAsync("sp", peers, _scope.Directory, ct, daemonArgs));
        return (hap, sp);
    }

    private static bool PeerRowUp(string frame, string peer) =>
        frame.Split('\n').Any(l => l.Contains("mesh (finished)", StringComparison.Ordinal) && l.Contains($" {peer} ", StringComparison.Ordinal) && l.Contains("established", StringComparison.Ordinal));

    private static Regex Series(string name, string labels, string value) =>
        new($"(?m)^{name}\\{{[^}}]*{Regex.Escape(labels)}[^}}]*\\}} {value}( |$)");

    /// <summary>GETs <paramref name="path"/> until <paramref name="pick"/> finds what it looks for (bounded: 300 tries, 100 ms apart).</summary>
    private static async Task<JsonElement> PollAsync(HttpClient http, string path, Func<JsonElement, JsonElement?> pick, CancellationToken ct)
    {
        var last = string.Empty;
        for (var i = 0; i < 300; i++)
        {
            last = await http.GetStringAsync(path, ct);
            if (pick(JsonDocument.Parse(last).RootElement.Clone()) is { } found)
            {
                return found;
            }

            await Task.Delay(100, ct);
        }

        Assert.Fail($"GET {path} never matched; last answer: {last}");
        return default;
    }
}
