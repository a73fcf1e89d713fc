// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Session;
using Stickpeer.TestKit.Replication;

namespace Stickpeer.Node.Tests.Replication;

public sealed class PeerNodeReplicationTests
{
    private static (InMemoryPeerNetwork Net, InMemoryReplicatedTable A, InMemoryReplicatedTable B) Pair(Func<PeerNodeOptions, PeerNodeOptions>? configure = null)
    {
        var net = new InMemoryPeerNetwork();
        var a = InMemoryReplicatedTable.CreateStringGpc0();
        var b = InMemoryReplicatedTable.CreateStringGpc0();
        net.AddNode("a", ["b"], [a], configure);
        net.AddNode("b", ["a"], [b], configure);
        return (net, a, b);
    }

    [Fact]
    public void TwoNodes_LocalChange_ReachesOtherNode()
    {
        var (net, a, b) = Pair();
        net.Advance(TimeSpan.FromSeconds(5));
        a.SetLocal("k1", 7);
        net["a"].Flush();
        net.Pump();

        Assert.Equal(7UL, b.GetGpc0("k1"));
        Assert.Equal(1, net.LinkCount);
    }

    [Fact]
    public void TwoNodes_Startup_ReachFinishedAndOneSession()
    {
        var (net, _, _) = Pair();
        net.Advance(TimeSpan.FromSeconds(12));

        var sa = net["a"].GetSnapshot();
        var sb = net["b"].GetSnapshot();
        Assert.Equal(SyncState.Finished, sa.SyncState);
        Assert.Equal(SyncState.Finished, sb.SyncState);
        Assert.Equal(PeerSessionState.Established, sa.Peers[0].SessionState);
        Assert.Equal(PeerSessionState.Established, sb.Peers[0].SessionState);
        Assert.Equal(1, net.LinkCount);
    }

    [Fact]
    public void Push_AckedPosition_IsKeptAcrossReconnect()
    {
        var (net, a, b) = Pair();
        net.Advance(TimeSpan.FromSeconds(5));
        for (var i = 0; i < 5; i++)
        {
            a.SetLocal("k" + i, (ulong)i);
        }

        net.TickAll();
        Assert.Equal(5u, net["a"].GetSnapshot().Peers[0].Tables[0].Acked);

        net.Block("a", "b");
        net.Cut("a", "b");
        a.SetLocal("late", 42);
        net.Advance(TimeSpan.FromSeconds(3));
        Assert.Null(b.GetGpc0("late"));

        net.Unblock("a", "b");
        net.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal(42UL, b.GetGpc0("late"));
        Assert.Equal(6u, net["a"].GetSnapshot().Peers[0].Tables[0].Acked);
    }
}
