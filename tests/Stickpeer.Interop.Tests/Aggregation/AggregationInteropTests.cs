// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using Stickpeer.Daemon.Cli;
using Stickpeer.TestKit.Haproxy;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Interop.Tests.Aggregation;

/// <summary>
/// Four real HAProxy nodes, each counting requests in its own <c>agg/local</c> table pushed to one
/// Stickpeer aggregator, and denying with 429 when <c>sc_http_req_rate(0,agg/global)</c>, the sum
/// Stickpeer pushes back, reaches the limit. Requests go round-robin over the four nodes; before each
/// one the test waits until the node it goes to has learned the sum so far, so the outcome of every
/// request is exact: allowed while the cluster-wide count is under the limit, denied from then on.
/// </summary>
[Trait("Category", "Interop")]
public sealed class AggregationInteropTests : IAsyncDisposable
{
    private const int Limit = 12;
    private const string Key = "127.0.0.1";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);
    private readonly string _dir = Directory.CreateTempSubdirectory("stickpeer-agg-").FullName;
    private readonly HaproxyProcess?[] _nodes = new HaproxyProcess?[4];
    private readonly int[] _peerPorts;
    private readonly int[] _httpPorts;
    private readonly int _stickpeerPort;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(10) };
    private (CancellationTokenSource Stop, Task<int> Run)? _stickpeer;

    public AggregationInteropTests()
    {
        var ports = FreePort.GetMany(9);
        _peerPorts = ports[..4];
        _httpPorts = ports[4..8];
        _stickpeerPort = ports[8];
    }

    private string StickpeerSocket => Path.Combine(_dir, "sp.sock");

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }

        await StopStickpeerAsync();
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task FourHaproxyNodes_SumTripsTheLimit_NotBefore_AndRestartsDoNotDoubleCount()
    {
        HaproxyUnderTest.RequireOrSkip();
        await StartStickpeerAsync();
        for (var i = 0; i < 4; i++)
        {
            _nodes[i] = await StartNodeAsync(i);
        }

        // 8 requests round-robin: each is allowed (the sum before it is under the limit).
        var counts = new int[4];
        var total = 0;
        for (; total < 8; total++)
        {
            var node = total % 4;
            await WaitForSumAsync(node, total);
            Assert.Equal(HttpStatusCode.OK, await RequestAsync(node));
            counts[node]++;
        }

        // Stickpeer restarts from its data directory; every node reconnects and one teaches its
        // tables again (a resync): the restored contributions are replaced, never added twice.
        await StopStickpeerAsync();
        await StartStickpeerAsync();
        await WaitForStickpeerSumAsync(total);
        for (var i = 0; i < 4; i++)
        {
            await WaitForSumAsync(i, total);
        }

        // Node 1 is killed and starts again empty: its old contribution stays counted (no drop to
        // zero) until its first new request replaces it with its new count (no double count).
        await _nodes[1]!.KillAsync();
        _nodes[1] = await StartNodeAsync(1);
        await WaitForSumAsync(1, total);
        Assert.Equal(HttpStatusCode.OK, await RequestAsync(1));
        total = total - counts[1] + 1;
        counts[1] = 1;
        await WaitForStickpeerSumAsync(total);

        // Up to the limit: every request allowed; the first one past it is denied on every node.
        for (var node = 0; total < Limit; node = (node + 1) % 4)
        {
            await WaitForSumAsync(node, total);
            Assert.Equal(HttpStatusCode.OK, await RequestAsync(node));
            total++;
        }

        for (var node = 0; node < 4; node++)
        {
            await WaitForSumAsync(node, total);
            Assert.Equal(HttpStatusCode.TooManyRequests, await RequestAsync(node));
            total++; // a denied request is still tracked, so it counts too
        }

        await WaitForStickpeerSumAsync(total);
    }

    private async Task<HttpStatusCode> RequestAsync(int node)
    {
        using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{_httpPorts[node]}/"), TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    /// <summary>Waits until node <paramref name="node"/> holds <paramref name="sum"/> in <c>agg/global</c> (no entry counts as 0).</summary>
    private async Task WaitForSumAsync(int node, int sum)
    {
        var text = string.Empty;
        for (var deadline = DateTime.UtcNow + s_wait; DateTime.UtcNow < deadline;)
        {
            text = await _nodes[node]!.Stats.SendAsync("show table agg/global", TestContext.Current.CancellationToken);
            if (Count(text) == sum)
            {
                return;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        var sp = await UnixCli.SendAsync(StickpeerSocket, "show table agg/global\n", TestContext.Current.CancellationToken);
        Assert.Fail($"node h{node + 1} never saw the sum {sum}:\n{text}\nstickpeer:\n{sp}\nhaproxy log:\n{_nodes[node]!.Output}");
    }

    private async Task WaitForStickpeerSumAsync(int sum)
    {
        var text = string.Empty;
        for (var deadline = DateTime.UtcNow + s_wait; DateTime.UtcNow < deadline;)
        {
            text = await UnixCli.SendAsync(StickpeerSocket, "show table agg/global\n", TestContext.Current.CancellationToken);
            if (Count(text) == sum)
            {
                return;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"stickpeer never computed the sum {sum}:\n{text}");
    }

    private static int Count(string showTable)
    {
        var dump = TableDump.Parse(showTable);
        return dump.Count == 1 && dump[0].Find(Key) is { } line ? int.Parse(line["http_req_cnt"]!, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    private static string Tables => """
            table local type ip size 1k expire 5m store http_req_cnt,http_req_rate(1m)
            table global type ip size 1k expire 5m store http_req_cnt,http_req_rate(1m)
        """;

    private async Task<HaproxyProcess> StartNodeAsync(int i)
    {
        var acl = "{ sc_http_req_rate(0,agg/global) ge " + Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) + " }";
        var config = $"""
            {HaproxyConfig.HttpDefaults}
            peers agg
                peer h{i + 1} 127.0.0.1:{_peerPorts[i]}
                peer sp 127.0.0.1:{_stickpeerPort}
            {Tables}

            frontend fe
                bind 127.0.0.1:{_httpPorts[i]}
                http-request track-sc0 src table agg/local
                http-request deny deny_status 429 if {acl}
                http-request return status 200 content-type text/plain string ok

            """;
        return await HaproxyProcess.StartAsync(
            new HaproxyOptions { LocalPeerName = $"h{i + 1}", Config = _ => config },
            TestContext.Current.CancellationToken);
    }

    private async Task StartStickpeerAsync()
    {
        var peers = string.Join('\n', Enumerable.Range(0, 4).Select(i => $"    peer h{i + 1} 127.0.0.1:{_peerPorts[i]}"));
        var config = Path.Combine(_dir, "sp.cfg");
        await File.WriteAllTextAsync(
            config,
            $"""
            global
                stats socket {StickpeerSocket} level admin

            peers agg
                peer sp 127.0.0.1:{_stickpeerPort}
            {peers}
            {Tables}
                #@stickpeer aggregate global from local

            """,
            TestContext.Current.CancellationToken);
        var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var run = StickpeerCommand.RunAsync(["-f", config, "-L", "sp", "-q", "--data-dir", Path.Combine(_dir, "data"), "--fsync", "always"], TextReader.Null, TextWriter.Null, TextWriter.Null, _ => started.TrySetResult(), stop.Token);
        _stickpeer = (stop, run);
        await Task.WhenAny(started.Task, run).WaitAsync(s_wait, TestContext.Current.CancellationToken);
        if (run.IsCompleted)
        {
            Assert.Fail($"stickpeer exited with {await run}");
        }
    }

    private async Task StopStickpeerAsync()
    {
        if (_stickpeer is not { } sp)
        {
            return;
        }

        _stickpeer = null;
        await sp.Stop.CancelAsync();
        try
        {
            await sp.Run.WaitAsync(TimeSpan.FromSeconds(15));
        }
        finally
        {
            sp.Stop.Dispose();
        }
    }
}
