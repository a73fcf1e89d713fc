// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Embedding;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Embedding;

/// <summary>The library API: options, typed tables, change feed, and two embedded nodes replicating over loopback.</summary>
public sealed class EmbeddedNodeTests
{
    private const string Declaration = "type ip size 1k expire 1m store gpc0,gpt0,http_req_cnt,http_req_rate(10s)";

    [Fact]
    public void Options_list_every_problem()
    {
        var options = new StickpeerOptions { Bind = "127.0.0.1:99999" };
        options.Peers.Add(new StickpeerPeer("b", "nowhere"));
        options.Tables.Add(new StickpeerTableDeclaration("t", "type ip size 1k store gpc9000"));

        var ex = Assert.Throws<StickpeerOptionsException>(() => new StickpeerNode(options));

        Assert.Contains(ex.Errors, e => e.StartsWith("LocalPeerName is required", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Bind '127.0.0.1:99999'", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Peers: 'b' address 'nowhere'", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("Tables: 't':", StringComparison.Ordinal) && e.Contains("gpc9000", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_refuse_code_and_configuration_together()
    {
        var options = new StickpeerOptions { ConfigText = "peers p\n", LocalPeerName = "a", Bind = "127.0.0.1:1" };
        var errors = options.Validate();
        Assert.Contains(errors, e => e.Contains("not in code", StringComparison.Ordinal));
    }

    [Fact]
    public void Configuration_errors_name_their_line()
    {
        var options = new StickpeerOptions { LocalPeerName = "a", ConfigText = "peers p\n  bind 127.0.0.1:1\n  server a\n  frobnicate\n" };
        var ex = Assert.Throws<ConfigurationException>(() => new StickpeerNode(options));
        Assert.StartsWith("StickpeerOptions.ConfigText:4:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Typed_access_reads_what_it_writes()
    {
        await using var node = new StickpeerNode(Code("a", FreePort.Get()));
        var table = node.Tables["t"];
        Assert.Same(table, node.Tables["stickpeer/t"]);

        Assert.Equal(LocalUpdateStatus.Created, table.Increment("10.0.0.1", StickDataType.Gpc0));
        Assert.Equal(LocalUpdateStatus.Updated, table.Increment(System.Net.IPAddress.Parse("::ffff:10.0.0.1"), StickDataType.Gpc0, 2));
        Assert.Equal(LocalUpdateStatus.Updated, table.Set("10.0.0.1", StickDataType.Gpt0, 7));

        Assert.True(table.TryGet("10.0.0.1", out var entry));
        Assert.Equal("10.0.0.1", entry.Key);
        Assert.Equal(3, entry.GetValue(StickDataType.Gpc0));
        Assert.Equal(7, entry.GetValue(StickDataType.Gpt0));
        Assert.NotNull(entry.ExpiresIn);
        Assert.True(table.TryGetValue("10.0.0.1", StickDataType.Gpc0, out var gpc0));
        Assert.Equal(3, gpc0);

        Assert.Throws<ArgumentException>(() => table.Increment("not-an-ip", StickDataType.Gpc0));
        var notStored = Assert.Throws<ArgumentException>(() => table.Increment("10.0.0.1", StickDataType.ConnCnt));
        Assert.Contains("does not store", notStored.Message, StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => node.Tables["missing"]);

        Assert.True(table.Remove("10.0.0.1"));
        Assert.False(table.TryGet("10.0.0.1", out _));
    }

    [Fact]
    public async Task A_slow_watcher_loses_the_oldest_changes_and_is_told_how_many()
    {
        var options = Code("a", FreePort.Get());
        options.ChangeBufferCapacity = 2;
        await using var node = new StickpeerNode(options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var changes = node.WatchAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        var first = changes.MoveNextAsync(); // subscribes
        for (var i = 1; i <= 5; i++)
        {
            node.Tables["t"].Increment($"10.0.0.{i}", StickDataType.Gpc0);
        }

        Assert.True(await first);
        // Five changes into a buffer of two: the first read may race the writes, so only the sum is fixed.
        var seen = new List<EntryChange> { changes.Current };
        while (seen.Sum(c => c.Missed) + seen.Count < 5 && await changes.MoveNextAsync())
        {
            seen.Add(changes.Current);
        }

        Assert.Equal(5, seen.Sum(c => c.Missed) + seen.Count);
        Assert.True(seen.Sum(c => c.Missed) > 0);
        Assert.Equal("10.0.0.5", seen[^1].Key);
        await node.StopAsync(timeout.Token);
        Assert.False(await changes.MoveNextAsync());
    }

    [Fact]
    public async Task Two_embedded_nodes_replicate_a_write()
    {
        var (portA, portB) = (FreePort.Get(), FreePort.Get());
        var a = Code("a", portA);
        a.Peers.Add(new StickpeerPeer("b", $"127.0.0.1:{portB}"));
        var b = Code("b", portB);
        b.Peers.Add(new StickpeerPeer("a", $"127.0.0.1:{portA}"));
        await using var nodeA = new StickpeerNode(a);
        await using var nodeB = new StickpeerNode(b);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var changes = nodeB.WatchAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        var next = changes.MoveNextAsync();
        await nodeA.StartAsync(timeout.Token);
        await nodeB.StartAsync(timeout.Token);

        nodeA.Tables["t"].Increment("192.0.2.9", StickDataType.Gpc0, 5);

        Assert.True(await next);
        Assert.Equal(new EntryChange("stickpeer/t", "192.0.2.9", EntryChangeKind.Changed, 0), changes.Current);
        Assert.True(nodeB.Tables["t"].TryGet("192.0.2.9", out var entry));
        Assert.Equal(5, entry.GetValue(StickDataType.Gpc0));
        Assert.True(entry.IsLearned);
    }

    [Fact]
    public async Task AddStickpeer_runs_the_node_with_the_host()
    {
        var port = FreePort.Get();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddStickpeer(o =>
        {
            o.LocalPeerName = "a";
            o.Bind = $"127.0.0.1:{port}";
            o.Tables.Add(new StickpeerTableDeclaration("t", Declaration));
        });
        using var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StartAsync(timeout.Token);

        var node = host.Services.GetRequiredService<StickpeerNode>();
        Assert.Equal(port, node.ListenEndpoints["stickpeer"].Port);
        node.Tables["t"].Set("10.1.1.1", StickDataType.Gpt0, 1);
        Assert.True(node.Tables["t"].TryGetValue("10.1.1.1", StickDataType.Gpt0, out var gpt0));
        Assert.Equal(1, gpt0);

        await host.StopAsync(timeout.Token);
        Assert.Throws<StickpeerOptionsException>(() => new ServiceCollection().AddStickpeer(o => o.Bind = "x"));
    }

    private static StickpeerOptions Code(string name, int port)
    {
        var options = new StickpeerOptions { LocalPeerName = name, Bind = $"127.0.0.1:{port}" };
        options.Tables.Add(new StickpeerTableDeclaration("t", Declaration));
        return options;
    }
}
