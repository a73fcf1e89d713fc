// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Daemon.Top;
using Stickpeer.Node.Tests.Admin;

namespace Stickpeer.Node.Tests.Daemon;

/// <summary>
/// <see cref="ShowPeersParser"/> on answers captured from real HAProxy (node <c>a</c> of a
/// two-node section, peer <c>b</c> up, one entry pushed to it) and on Stickpeer's own.
/// </summary>
public sealed class ShowPeersParserTests
{
    [Theory]
    [InlineData("show-peers-haproxy-2.6.txt", "established")]
    [InlineData("show-peers-haproxy-3.0.txt", "established")]
    public void RealHaproxy_PeerUpWithItsCountersAndNoAckLag(string file, string state)
    {
        var sections = ShowPeersParser.ParsePeers(Read(file), out var local);

        Assert.Equal("a", local);
        var section = Assert.Single(sections);
        Assert.Equal("mesh", section.Name);
        Assert.Equal("from_remote", section.SyncState); // flags 0x...1: learning from a remote was never finished
        Assert.False(section.ResyncFinished);
        var b = Assert.Single(section.Peers); // the local peer is not listed
        Assert.Equal("b", b.Name);
        Assert.True(b.Up);
        Assert.Equal(state, b.State);
        Assert.Equal("ESTA", b.LastStatus);
        Assert.Equal(1, b.Errors); // coll=1: both connected at once
        // Pushed 1, not acked yet on 2.6 (0): lag 1. On 3.0 unused ids start half a range away:
        // compared by signed difference, as HAProxy does, that is no lag rather than 2^31.
        Assert.Equal(file.Contains("2.6", StringComparison.Ordinal) ? 1 : 0, b.AckLag);
        Assert.Null(b.BytesIn);
    }

    [Fact]
    public void RealHaproxy_TableList()
    {
        var tables = ShowPeersParser.ParseTables(Read("show-table-haproxy-2.6.txt"));

        Assert.Equal(["mesh/t2 string 0/1024", "mesh/t1 ip 1/1024"], tables.Select(t => $"{t.Name} {t.Type} {t.Used}/{t.Size}"));
    }

    [Fact]
    public async Task StickpeersOwnShowPeers_ReadsTheSameWay()
    {
        var node = new CliTestNode();
        await using var built = node.Context.Node;

        var sections = ShowPeersParser.ParsePeers(node.Run("show peers"), out var local);
        var tables = ShowPeersParser.ParseTables(node.Run("show table"));

        Assert.Equal("other", local);
        var section = Assert.Single(sections);
        Assert.Equal("from_remote", section.SyncState);
        var peer = Assert.Single(section.Peers);
        Assert.Equal("hap1", peer.Name);
        Assert.False(peer.Up);
        Assert.Equal("down", peer.State);
        Assert.Contains(tables, t => t.Name == "mesh/t1" && t.Size == 1024);
    }

    [Fact]
    public void NotAShowPeersAnswer_NoSections()
    {
        Assert.Empty(ShowPeersParser.ParsePeers("Permission denied\n", out var local));
        Assert.Null(local);
    }

    private static string Read(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Daemon", "Data", file));
}
