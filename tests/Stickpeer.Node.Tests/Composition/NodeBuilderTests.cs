// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Node.Composition;
using Stickpeer.Node.Configuration;
using Stickpeer.Protocol.Model;
using Stickpeer.TestKit.Transport;

namespace Stickpeer.Node.Tests.Composition;

/// <summary>The library's node builder: what the daemon used to compose, for any host.</summary>
public sealed class NodeBuilderTests
{
    private const string Config = """
        peers mesh
            peer a 127.0.0.1:1
            peer b 127.0.0.1:2
            table t type string len 32 size 10 expire 2s store gpc0
        backend be
            stick-table type ip size 10 expire 1m peers mesh store gpt0
        """;

    [Fact]
    public async Task StartedNode_SweepsExpiredEntries_OnItsOwnClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var built = NodeBuilder.Build(Parse(Config), time, NullLoggerFactory.Instance, transport: new InMemoryPeerTransport());
        await using var node = built.Node;
        var table = built.Tables.Single(t => t.Name == "mesh/t");
        node.Host.Invoke(() => table.Increment(Encoding.ASCII.GetBytes("k"), StickDataType.Gpc0));
        node.Start();

        // Expired after 2 s; the host's sweep (once a second, on the node's TimeProvider) frees it.
        for (var i = 0; i < 40 && node.Host.Invoke(() => table.Count) > 0; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, node.Host.Invoke(() => table.Count));
    }

    [Fact]
    public void Build_GivesEveryTableInConfigurationOrder_AndANodePerSection()
    {
        var built = NodeBuilder.Build(Parse(Config), TimeProvider.System, NullLoggerFactory.Instance);

        Assert.Equal(["mesh/t", "be"], built.Tables.Select(t => t.Name));
        Assert.Equal(["mesh"], built.Node.Sections.Keys);
    }

    [Fact]
    public void Build_SameTableTwice_IsAConfigurationErrorAtItsLine()
    {
        var ex = Assert.Throws<ConfigurationException>(() => NodeBuilder.Build(
            Parse("peers mesh\n  peer a 127.0.0.1:1\n  table t type ip size 1 store gpc0\n  table t type ip size 1 store gpc0\n"),
            TimeProvider.System,
            NullLoggerFactory.Instance));

        Assert.Contains("declared twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SameTableNameInTwoSections_TwoTablesEachInItsSection()
    {
        // HAProxy accepts this: 's1/t' and 's2/t' are two tables, replicated in their own sections.
        var built = NodeBuilder.Build(
            Parse("peers s1\n  peer a 127.0.0.1:1\n  table t type ip size 1 store gpc0\npeers s2\n  peer a 127.0.0.1:2\n  table t type string len 8 size 1 store gpt0\n"),
            TimeProvider.System,
            NullLoggerFactory.Instance);

        Assert.Equal(["s1/t", "s2/t"], built.Tables.Select(t => t.Name));
        Assert.Equal(["s1", "s2"], built.Node.Sections.Keys.Order());
        // On the wire both are "/t" (HAProxy names a peers-section table so): unique per section, not overall.
        Assert.Equal(["/t", "/t"], built.Node.Tables.Values.Select(r => r.Schema.Name));
    }

    private static StickpeerConfiguration Parse(string text)
    {
        var parser = new ConfigParser(_ => null);
        parser.ParseText("test.cfg", text);
        return parser.Build("a", "host");
    }
}
