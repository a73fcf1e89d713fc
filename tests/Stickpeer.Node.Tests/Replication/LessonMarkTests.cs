// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Replication;
using Stickpeer.TestKit.Replication;

namespace Stickpeer.Node.Tests.Replication;

/// <summary>
/// "Any local write after start wins over lesson values": the lesson mark is taken when the
/// node starts, and it also covers the teacher's post-lesson re-push until the teacher has
/// acknowledged our write. Fake clock (<see cref="InMemoryPeerNetwork.Time"/>), fake or real tables.
/// </summary>
public sealed class LessonMarkTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    private static TestTable Node(InMemoryPeerNetwork net, string name, bool real, string[] peers, bool learn = true)
    {
        var table = TestTable.Create(real, net.Time);
        net.AddNode(name, peers, [table.Replica], o => o with { LearnOnStartup = learn, ResyncWindow = TimeSpan.FromSeconds(30) });
        return table;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Learn_LocalWriteAfterStartBeforeLessonRequest_WinsOverLessonAndReachesTeacher(bool real)
    {
        var net = new InMemoryPeerNetwork();
        var teacher = Node(net, "t", real, ["l"], learn: false);
        teacher.Set("k", 1);
        teacher.Set("x", 2);
        net.Block("t", "l");
        var learner = Node(net, "l", real, ["t"]);
        net.Advance(TimeSpan.FromSeconds(1));

        // Started, no session yet, so no lesson asked for: the old mark ("when 00 00 is sent") would not cover this write.
        Assert.Null(net["l"].Coordinator.Learning);
        learner.Set("k", 99);
        net["l"].Flush();
        net.Unblock("t", "l");
        net.Advance(Settle);

        Assert.Equal(1, net["l"].Coordinator.LessonsCompleted);
        Assert.Equal(99UL, learner.Get("k"));
        Assert.Equal(2UL, learner.Get("x"));
        Assert.Equal(99UL, teacher.Get("k"));

        // Once the teacher has acknowledged our write, its newer writes to the key apply again.
        teacher.Set("k", 7);
        net["t"].Flush();
        net.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(7UL, learner.Get("k"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Learn_TeacherRepushesOlderValueAfterLesson_LocalWriteStillWins(bool real)
    {
        // One byte per delivery: the teacher handles our 00 03 (and re-pushes its log, k = 1
        // included) before it reads our push of k = 99 that followed the 00 03.
        var net = new InMemoryPeerNetwork { MaxChunk = 1 };
        var teacher = Node(net, "t", real, ["l"], learn: false);
        for (var i = 0; i < 20; i++)
        {
            teacher.Set("k" + i, 1);
        }

        net.Block("t", "l");
        net.Advance(TimeSpan.FromSeconds(1));
        var learner = Node(net, "l", real, ["t"]);
        net.Unblock("t", "l");
        net.HoldAfter("t", "l", 4);
        net.Advance(TimeSpan.FromSeconds(3));
        Assert.True(net["l"].GetSnapshot().Peers[0].Learning);

        learner.Set("k3", 99);
        learner.Set("k17", 98);
        net["l"].Flush();
        net.Release("t");
        net.Advance(Settle);

        Assert.Equal(SyncState.Finished, net["l"].Coordinator.State);
        Assert.Equal(99UL, learner.Get("k3"));
        Assert.Equal(98UL, learner.Get("k17"));
        Assert.Equal(99UL, teacher.Get("k3"));
        Assert.Equal(98UL, teacher.Get("k17"));
        Assert.Equal(1UL, learner.Get("k0"));
        Assert.Equal(20, learner.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Learn_WriteBeforeNodeStart_IsOverwrittenByLesson(bool real)
    {
        // The guarantee starts with the node: a value the table held before (a restart that
        // keeps its table) is older than any lesson and is replaced, as in HAProxy.
        var net = new InMemoryPeerNetwork();
        var teacher = Node(net, "t", real, ["l"], learn: false);
        teacher.Set("k", 1);
        net.Block("t", "l");
        net.Advance(TimeSpan.FromSeconds(1));
        var table = TestTable.Create(real, net.Time);
        table.Set("k", 50);
        net.AddNode("l", ["t"], [table.Replica], o => o with { ResyncWindow = TimeSpan.FromSeconds(30) });
        net.Unblock("t", "l");
        net.Advance(Settle);

        Assert.Equal(1, net["l"].Coordinator.LessonsCompleted);
        Assert.Equal(1UL, table.Get("k"));
    }
}
