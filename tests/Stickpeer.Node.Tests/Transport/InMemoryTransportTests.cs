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
    private const string Config = InMemoryConfigs.TwoPeersStringTable;

    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TwoHosts_InMemory_EstablishOneSessionEachWay()
    {
        await using var pair = await Pair.StartAsync();

        await pair.B.WaitEstablishedAsync("a", s_wait);

        Assert.Equal(200, pair.A.Peer("b").LastStatus);
        Assert.Equal(200, pair.B.Peer("a").LastStatus);
    }

    [Fact]
    public async Task LocalWrite_InMemory_ReachesThePeersTable()
    {
        await using var pair = await Pair.StartAsync();
        var key = Encoding.ASCII.GetBytes("user-1");

        pair.A.Node.Host.Invoke(() => pair.TableA.Increment(key, StickDataType.Gpc0, 0, 7));

        await WaitUntilAsync(() => pair.B.Node.Host.Invoke(() => pair.TableB.TryGetValue(key, StickDataType.Gpc0, 0, out var v) && v == 7), "b never held gpc0 = 7");
    }

    [Fact]
    public async Task Sever_InMemory_SessionsComeBack()
    {
        await using var pair = await Pair.StartAsync();
        var opened = pair.Network.ConnectionsOpened;

        await pair.Network.SeverAsync();

        await WaitUntilAsync(() => pair.Network.ConnectionsOpened > opened && pair.A.Peer("b").SessionState == PeerSessionState.Established, "no new session after the cut");
    }

    [Fact]
    public async Task WritesDuringRepeatedCuts_ThreeHosts_EveryHostEndsWithEveryWrite()
    {
        const string Mesh = """
            peers mesh
                peer a 10.0.0.1:1024
                peer b 10.0.0.2:1024
                peer c 10.0.0.3:1024
            backend web
                stick-table type string len 32 size 1k expire 1h store gpc0 peers mesh

            """;
        var network = new InMemoryPeerTransport(windowBytes: 4096);
        var tables = new Dictionary<string, StickTable>(StringComparer.Ordinal);
        string[] names = ["a", "b", "c"];
        var nodes = names.Select(n => TestNode.Start(n, Mesh, network, d => Pair.Keep(tables, n, d))).ToArray();
        try
        {
            // Every link up and every initial resync over before the first write: a lesson that arrives
            // after a write can bring a third node's older value (the documented limit of writes during
            // the initial resync, as in HAProxy), which is not what this test is about.
            for (var i = 0; i < nodes.Length; i++)
            {
                foreach (var other in names.Where(n => n != names[i]))
                {
                    await nodes[i].WaitEstablishedAsync(other, s_wait);
                }
            }

            await WaitUntilAsync(
                () => nodes.All(node => node.Node.Host.Invoke(() => node.Node.Sections["mesh"].Coordinator.State == SyncState.Finished)),
                "the initial resyncs did not finish");
            for (var round = 0; round < 3; round++)
            {
                // Each host writes its own keys (no concurrent writers of one key), then every link is cut.
                for (var i = 0; i < nodes.Length; i++)
                {
                    var table = tables[names[i]];
                    nodes[i].Node.Host.Invoke(() =>
                    {
                        for (var k = 0; k < 50; k++)
                        {
                            table.Increment(Encoding.ASCII.GetBytes($"{names[i]}-{k}"), StickDataType.Gpc0, 0, round + 1);
                        }

                        return 0;
                    });
                }

                await network.SeverAsync();
            }

            // Every key k of host x was incremented by 1 + 2 + 3.
            await WaitUntilAsync(
                () => nodes.Select((node, i) => node.Node.Host.Invoke(() => names.All(owner => Enumerable.Range(0, 50).All(k =>
                    tables[names[i]].TryGetValue(Encoding.ASCII.GetBytes($"{owner}-{k}"), StickDataType.Gpc0, 0, out var v) && v == 6)))).All(ok => ok),
                "the hosts did not converge after the cuts");
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
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


    /// <summary>Nodes a and b on one in-memory network, a's session to b established, with their engine tables.</summary>
    private sealed record Pair(InMemoryPeerTransport Network, TestNode A, TestNode B, StickTable TableA, StickTable TableB) : IAsyncDisposable
    {
        public static async Task<Pair> StartAsync()
        {
            var network = new InMemoryPeerTransport();
            var tables = new Dictionary<string, StickTable>(StringComparer.Ordinal);
            var a = TestNode.Start("a", Config, network, d => Keep(tables, "a", d));
            var b = TestNode.Start("b", Config, network, d => Keep(tables, "b", d));
            var pair = new Pair(network, a, b, tables["a"], tables["b"]);
            try
            {
                await a.WaitEstablishedAsync("b", s_wait);
                return pair;
            }
            catch
            {
                await pair.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
        }

        public static StickTableReplica Keep(Dictionary<string, StickTable> tables, string node, Stickpeer.Node.Configuration.TableDefinition d)
        {
            var table = StickTable.Create(d.Declaration, d.LocalName, d.WireName);
            tables[node] = table;
            return new StickTableReplica(table);
        }
    }

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
