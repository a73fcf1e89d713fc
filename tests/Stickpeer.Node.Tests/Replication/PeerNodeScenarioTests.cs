// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Session;
using Stickpeer.TestKit.Replication;

namespace Stickpeer.Node.Tests.Replication;

/// <summary>Several <see cref="PeerNode"/>s wired through <see cref="InMemoryPeerNetwork"/>, with fake or real tables.</summary>
public sealed class PeerNodeScenarioTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(8);

    private static TestTable Node(InMemoryPeerNetwork net, string name, bool real, string[] peers, bool learn = true, Func<PeerNodeOptions, PeerNodeOptions>? configure = null)
    {
        var table = TestTable.Create(real, net.Time);
        net.AddNode(name, peers, [table.Replica], o => (configure?.Invoke(o) ?? o) with { LearnOnStartup = learn });
        return table;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Learn_FromFinishedTeacher_GetsEveryEntryAndFinishes(bool real)
    {
        var net = new InMemoryPeerNetwork();
        var t = Node(net, "t", real, ["l"], learn: false);
        for (var i = 0; i < 300; i++)
        {
            t.Set("k" + i, (ulong)i);
        }

        net.Block("t", "l");
        net.Advance(TimeSpan.FromSeconds(1));
        var l = Node(net, "l", real, ["t"]);
        net.Unblock("t", "l");
        net.Advance(Settle);

        Assert.Equal(300, l.Count);
        Assert.Equal(299UL, l.Get("k299"));
        Assert.Equal(SyncState.Finished, net["l"].Coordinator.State);
        Assert.Equal(1, net["l"].Coordinator.LessonsCompleted);
        Assert.Equal(1, net["t"].GetSnapshot().Peers[0].LessonsTaught);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Learn_PartialTeacher_AsksNextPeerAndLearnsFromBoth(bool real)
    {
        var net = new InMemoryPeerNetwork();
        var p = Node(net, "p", real, ["l"], learn: true, o => o with { ResyncWindow = TimeSpan.FromHours(1) });
        var f = Node(net, "f", real, ["l"], learn: false);
        p.Set("from-p", 1);
        f.Set("from-f", 2);
        net.Block("p", "f");
        var l = Node(net, "l", real, ["p", "f"]);
        net.Advance(TimeSpan.FromSeconds(15));

        Assert.Equal(1UL, l.Get("from-p"));
        Assert.Equal(2UL, l.Get("from-f"));
        Assert.Equal(SyncState.Finished, net["l"].Coordinator.State);
        Assert.True(net["l"].Coordinator.LessonsCompleted >= 1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Learn_LocalWriteDuringLesson_WinsAndReachesEveryPeerIncludingTeacher(bool real)
    {
        // HAProxy 2.6 loses this write: the lesson overwrites it and it is never pushed back.
        var net = new InMemoryPeerNetwork();
        var teacher = Node(net, "t", real, ["l", "o"], learn: false);
        var other = Node(net, "o", real, ["l", "t"], learn: false);
        teacher.Set("k", 1);
        net.Block("t", "l");
        net.Block("o", "l");
        net.Advance(TimeSpan.FromSeconds(1));
        var learner = Node(net, "l", real, ["t", "o"]);

        // The learner connects to the teacher and asks; the teacher's "200\n" gets through, its lesson is held in flight.
        net.Unblock("t", "l");
        net.HoldAfter("t", "l", 4);
        net.Advance(TimeSpan.FromSeconds(3));
        Assert.True(net["l"].GetSnapshot().Peers[0].Learning);

        learner.Set("k", 99);
        net["l"].Flush();
        net.Release("t");
        net.Unblock("o", "l");
        net.Advance(Settle);

        Assert.Equal(99UL, learner.Get("k"));
        Assert.Equal(99UL, teacher.Get("k"));
        Assert.Equal(99UL, other.Get("k"));
        Assert.Equal(SyncState.Finished, net["l"].Coordinator.State);
        // The teacher's normal push of k and its lesson copy of k both arrive during the lesson.
        Assert.True(net["l"].GetSnapshot().Peers[0].LessonUpdatesKeptLocal >= 1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Teach_LocalWritesDuringLesson_AreNotLost(bool real)
    {
        var net = new InMemoryPeerNetwork();
        var t = Node(net, "t", real, ["l"], learn: false, o => o with { MaxUpdatesPerPass = 5 });
        for (var i = 0; i < 40; i++)
        {
            t.Set("k" + i, 1);
        }

        net.Block("t", "l");
        net.Advance(TimeSpan.FromSeconds(1));
        var l = Node(net, "l", real, ["t"]);
        net.Unblock("t", "l");
        for (var step = 0; step < 40; step++)
        {
            net.Advance(TimeSpan.FromMilliseconds(100));
            t.Set("k" + (step % 40), (ulong)(100 + step));
            t.Set("new" + step, (ulong)step);
        }

        net.Advance(Settle);
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(t.Get("k" + i), l.Get("k" + i));
            Assert.Equal((ulong)i, l.Get("new" + i));
        }
    }

    [Fact]
    public void Collision_SimultaneousStartup_EndsWithOneSessionAndData()
    {
        var net = new InMemoryPeerNetwork(seed: 7);
        var a = Node(net, "a", false, ["b"]);
        var b = Node(net, "b", false, ["a"]);
        a.Set("x", 1);
        b.Set("y", 2);
        net.Advance(TimeSpan.FromSeconds(12));

        Assert.Equal(1, net.LinkCount);
        Assert.True(net["a"].GetSnapshot().Peers[0].Collisions + net["b"].GetSnapshot().Peers[0].Collisions >= 1);
        Assert.Equal(1UL, b.Get("x"));
        Assert.Equal(2UL, a.Get("y"));
    }

    [Fact]
    public void Fragmentation_OneBytePerReceive_StillReplicates()
    {
        var net = new InMemoryPeerNetwork { MaxChunk = 1 };
        var t = Node(net, "t", false, ["l"], learn: false);
        for (var i = 0; i < 20; i++)
        {
            t.Set("k" + i, (ulong)i);
        }

        var l = Node(net, "l", false, ["t"]);
        net.Advance(Settle);

        Assert.Equal(20, l.Count);
        Assert.Equal(SyncState.Finished, net["l"].Coordinator.State);
    }

    public static TheoryData<int> CutPoints()
    {
        var data = new TheoryData<int>();
        foreach (var n in new[] { 0, 1, 10, 25, 40, 60, 100, 150, 200, 300, 450, 700, 1000, 1500, 2500 })
        {
            data.Add(n);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CutPoints))]
    public void Disconnect_AtAnyPointOfHandshakeOrLesson_NodesRecoverAndConverge(int cutAfterBytes)
    {
        var net = new InMemoryPeerNetwork(seed: cutAfterBytes + 1);
        var t = Node(net, "t", false, ["l"], learn: false, o => o with { MaxUpdatesPerPass = 4 });
        for (var i = 0; i < 30; i++)
        {
            t.Set("k" + i, (ulong)i);
        }

        net.Block("t", "l");
        net.Advance(TimeSpan.FromSeconds(1));
        var l = Node(net, "l", false, ["t"]);
        net.Unblock("t", "l");
        net.CutAfter("t", "l", cutAfterBytes);
        net.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(30, l.Count);
        Assert.Equal(29UL, l.Get("k29"));
        Assert.Equal(SyncState.Finished, net["l"].Coordinator.State);
        Assert.Null(net["l"].Coordinator.Learning);
        Assert.Equal(1, net.LinkCount);
        Assert.Equal(PeerSessionState.Established, net["l"].GetSnapshot().Peers[0].SessionState);
        Assert.Empty(net["t"].Coordinator.Teaching);
    }

    [Fact]
    public void Liveness_PeerStopsTalking_SessionIsReplacedAndDataFlowsAgain()
    {
        var net = new InMemoryPeerNetwork();
        var a = Node(net, "a", false, ["b"], learn: false);
        var b = Node(net, "b", false, ["a"], learn: false);
        net.Advance(Settle);
        net.Hold("b");
        net.Advance(TimeSpan.FromSeconds(6));
        Assert.True(net["a"].GetSnapshot().Peers[0].DeadPeerTimeouts >= 1);

        net.Release("b");
        a.Set("after", 5);
        net.Advance(Settle);

        Assert.Equal(5UL, b.Get("after"));
        Assert.Equal(1, net.LinkCount);
    }
}
