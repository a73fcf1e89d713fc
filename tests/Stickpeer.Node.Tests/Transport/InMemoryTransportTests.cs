// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using Stickpeer.Node.Replication;
using Stickpeer.Node.Transport;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Session;
using Stickpeer.Tables.Engine;
using Stickpeer.TestKit.Transport;

namespace Stickpeer.Node.Tests.Transport;

/// <summary>The real host loop (lock, tick, reconnects) over the in-memory transport: no sockets, no ports.</summary>
public sealed class InMemoryTransportTests
{
    private const string Config = """
        peers mesh
            peer a 10.0.0.1:1024
            peer b 10.0.0.2:1024
        backend web
            stick-table type string len 32 size 1k expire 1h store gpc0 peers mesh

        """;

    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task TwoHosts_InMemory_EstablishOneSessionEachWay()
    {
        var network = new InMemoryPeerTransport();
        await using var a = TestNode.Start("a", Config, network, NewTable);
        await using var b = TestNode.Start("b", Config, network, NewTable);

        await a.WaitEstablishedAsync("b", s_wait);
        await b.WaitEstablishedAsync("a", s_wait);

        Assert.Equal(200, a.Peer("b").LastStatus);
        Assert.Equal(200, b.Peer("a").LastStatus);
    }

    [Fact]
    public async Task LocalWrite_InMemory_ReachesThePeersTable()
    {
        var network = new InMemoryPeerTransport();
        await using var a = TestNode.Start("a", Config, network, NewTable);
        await using var b = TestNode.Start("b", Config, network, NewTable);
        await a.WaitEstablishedAsync("b", s_wait);
        var key = Encoding.ASCII.GetBytes("user-1");

        a.Node.Host.Invoke(() => Table(a).Increment(key, StickDataType.Gpc0, 0, 7));

        await WaitUntilAsync(() => b.Node.Host.Invoke(() => Table(b).TryGetValue(key, StickDataType.Gpc0, 0, out var v) && v == 7), "b never held gpc0 = 7");
    }

    [Fact]
    public async Task Sever_InMemory_SessionsComeBack()
    {
        var network = new InMemoryPeerTransport();
        await using var a = TestNode.Start("a", Config, network, NewTable);
        await using var b = TestNode.Start("b", Config, network, NewTable);
        await a.WaitEstablishedAsync("b", s_wait);
        var opened = network.ConnectionsOpened;

        await network.SeverAsync();

        await WaitUntilAsync(() => network.ConnectionsOpened > opened && a.Peer("b").SessionState == PeerSessionState.Established, "no new session after the cut");
    }

    [Fact]
    public async Task Start_AddressAlreadyBoundInMemory_FailsWithTheSectionAndAddress()
    {
        var network = new InMemoryPeerTransport();
        await using var a = TestNode.Start("a", Config, network, NewTable);

        var ex = Assert.Throws<InvalidOperationException>(() => TestNode.Start("a", Config, network, NewTable));

        Assert.Contains("peers section 'mesh': cannot listen on 10.0.0.1:1024", ex.Message, StringComparison.Ordinal);
        Assert.Equal(TransportFailure.BindFailed, Assert.IsType<PeerTransportException>(ex.InnerException).Failure);
    }

    private static IReplicatedTable NewTable(Stickpeer.Node.Configuration.TableDefinition d) =>
        new StickTableReplica(StickTable.Create(d.Declaration, d.LocalName, d.WireName));

    private static StickTable Table(TestNode node) => ((StickTableReplica)node.Node.Tables.Values.Single()).Table;

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + s_wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(failure);
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
