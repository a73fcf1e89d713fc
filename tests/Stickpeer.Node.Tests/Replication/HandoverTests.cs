// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Node.Replication;
using Stickpeer.TestKit.Replication;

namespace Stickpeer.Node.Tests.Replication;

/// <summary>
/// Reload hand-over through the local peer, on real hosts over the in-memory network: the old process
/// of node "a" stops listening and is known as "a-old" (<see cref="InMemoryPeerNetwork.MoveAside"/>),
/// the new process "a" binds the name's address, and the old one hands its table over while "b"
/// keeps replicating.
/// </summary>
public sealed class HandoverTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private sealed record Mesh(InMemoryPeerNetwork Net, PeerNode Old, InMemoryReplicatedTable OldTable, InMemoryReplicatedTable B);

    private static Mesh Start(bool settle = true, TimeSpan? bResyncWindow = null)
    {
        var net = new InMemoryPeerNetwork();
        var oldTable = InMemoryReplicatedTable.CreateStringGpc0();
        var b = InMemoryReplicatedTable.CreateStringGpc0();
        var old = net.AddNode("a", ["b"], [oldTable]);
        net.AddNode("b", ["a"], [b], o => bResyncWindow is { } w ? o with { ResyncWindow = w } : o);
        if (settle)
        {
            net.Advance(TimeSpan.FromSeconds(12));
        }

        return new Mesh(net, old, oldTable, b);
    }

    /// <summary>Starts the new process of "a" (it takes over the name "a" on the network) waiting for the old one's lesson.</summary>
    private static (PeerNode Node, InMemoryReplicatedTable Table) StartNew(Mesh m)
    {
        var table = InMemoryReplicatedTable.CreateStringGpc0();
        var node = new PeerNode(new PeerNodeOptions { LocalPeerName = "a", RemotePeers = ["b"], ProcessId = 2000 }, [table], m.Net.Time, NullLoggerFactory.Instance, new Random(7));
        node.ExpectLocalTeacher();
        m.Net.MoveAside("a", "a-old");
        m.Net.Add("a", node, ["b"]);
        return (node, table);
    }

    [Fact]
    public void Handover_OldTeachesEveryEntry_NewFinishesWithoutAskingRemote()
    {
        var m = Start();
        for (var i = 0; i < 300; i++)
        {
            m.OldTable.SetLocal("old" + i, (ulong)i);
            m.B.SetLocal("b" + i, (ulong)(1000 + i));
        }

        m.Net.TickAll();
        Assert.Equal(600, m.OldTable.Count);
        var (node, table) = StartNew(m);

        m.Old.BeginHandover(Deadline);
        m.Net.Pump();
        m.Net.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(HandoverPhase.Done, m.Old.Handover);
        Assert.Equal(600, table.Count);
        Assert.Equal(299UL, table.GetGpc0("old299"));
        Assert.Equal(1299UL, table.GetGpc0("b299"));

        // Complete lesson from the old process: FINISHED at once, no lesson asked of "b".
        Assert.Equal(SyncState.Finished, node.GetSnapshot().SyncState);
        Assert.Equal(1, node.Coordinator.LessonsCompleted);
    }

    [Fact]
    public void Handover_AfterwardsRemotePeerReplicatesWithNewProcess()
    {
        var m = Start();
        m.OldTable.SetLocal("k", 1);
        m.Net.TickAll();
        var (node, table) = StartNew(m);
        m.Old.BeginHandover(Deadline);
        m.Net.Advance(TimeSpan.FromSeconds(8));

        m.B.SetLocal("after", 5);
        table.SetLocal("from-new", 6);
        node.Flush();
        m.Net.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(5UL, table.GetGpc0("after"));
        Assert.Equal(6UL, m.B.GetGpc0("from-new"));
        Assert.Equal(1UL, table.GetGpc0("k"));
    }

    [Fact]
    public void Handover_KeyUpdatedByRemoteBeforeLesson_KeepsRemoteValue()
    {
        var m = Start();
        m.B.SetLocal("k", 1);
        m.Net.TickAll();
        Assert.Equal(1UL, m.OldTable.GetGpc0("k"));

        // "b" updates k while the old process no longer hears it, then reaches the new process first.
        m.Net.Block("a", "b");
        m.Net.Cut("a", "b");
        m.B.SetLocal("k", 2);
        var (_, table) = StartNew(m);
        m.Net.Unblock("a", "b");
        m.Net.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(2UL, table.GetGpc0("k"));

        m.Old.BeginHandover(Deadline);
        m.Net.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(HandoverPhase.Done, m.Old.Handover);
        Assert.Equal(2UL, table.GetGpc0("k"));
    }

    [Fact]
    public void Handover_BeforeOldFinishedItsOwnResync_NewKeepsLessonAndLearnsFromRemote()
    {
        // The reverse of HAProxy issue #1216: the old process reloads before its own initial resync
        // finished. Its partial lesson must not empty the table, and the new process then learns from "b".
        // "b" is still in its own initial resync when the link comes up (a 20 s window), so it asks the
        // new process for a lesson and learns the old process's write from it. The lesson "b" gives back
        // is partial while "b" itself learns, so the new process reaches FINISHED only once its window
        // after that partial lesson ends (hence the 25 s).
        var m = Start(settle: false, bResyncWindow: TimeSpan.FromSeconds(20));
        var (node, table) = ReloadWhileCutOffFromB(m);

        m.Net.Unblock("a", "b");
        m.Net.Advance(TimeSpan.FromSeconds(25));

        Assert.Equal(SyncState.Finished, node.GetSnapshot().SyncState);
        Assert.Equal(3UL, table.GetGpc0("old-only"));
        Assert.Equal(9UL, table.GetGpc0("b-only"));
        Assert.Equal(3UL, m.B.GetGpc0("old-only"));
    }

    [Fact]
    public void Handover_OldWroteWhileCutOffFromFinishedRemote_RemoteLearnsItOnlyFromALesson()
    {
        // As HAProxy: an entry the new process learned (from the old process or anyone) is a remote
        // update there, never pushed on to other peers; a peer gets it only in a lesson it asks for,
        // i.e. during its own initial resync. "b" ended its resync window (5 s) alone, so the old
        // process's write made while cut off from "b" stays unknown to "b" until "b" restarts or the
        // key is written again (docs/operations.md, "Reload").
        var m = Start(settle: false);
        var (node, table) = ReloadWhileCutOffFromB(m);
        m.Net.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(SyncState.Finished, m.Net["b"].GetSnapshot().SyncState);

        m.Net.Unblock("a", "b");
        m.Net.Advance(TimeSpan.FromSeconds(8));

        Assert.Equal(SyncState.Finished, node.GetSnapshot().SyncState);
        Assert.Equal(1, m.Net.LinkCount);
        Assert.Equal(9UL, table.GetGpc0("b-only"));
        Assert.Null(m.B.GetGpc0("old-only"));

        // A later write of the key by the new process is a local change: it reaches "b".
        table.SetLocal("old-only", 4);
        m.Net.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(4UL, m.B.GetGpc0("old-only"));

        // A restarted "b" asks for a lesson and learns every entry the new process holds.
        var fresh = InMemoryReplicatedTable.CreateStringGpc0();
        m.Net.Cut("a", "b");
        m.Net.Remove("b");
        m.Net.AddNode("b", ["a"], [fresh]);
        m.Net.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal(4UL, fresh.GetGpc0("old-only"));
        Assert.Equal(9UL, fresh.GetGpc0("b-only"));
    }

    /// <summary>
    /// "a" and "b" never meet; "a" writes "old-only" and is reloaded before its initial resync ended,
    /// "b" wrote "b-only". Returns the new process of "a" once the old one handed over.
    /// </summary>
    private static (PeerNode Node, InMemoryReplicatedTable Table) ReloadWhileCutOffFromB(Mesh m)
    {
        m.Net.Block("a", "b");
        m.B.SetLocal("b-only", 9);
        m.Net.Advance(TimeSpan.FromSeconds(1));
        m.OldTable.SetLocal("old-only", 3);
        Assert.Equal(SyncState.FromRemote, m.Old.GetSnapshot().SyncState);

        var (node, table) = StartNew(m);
        m.Old.BeginHandover(Deadline);
        m.Net.Pump();
        Assert.Equal(HandoverPhase.Done, m.Old.Handover);
        Assert.Equal(3UL, table.GetGpc0("old-only"));
        Assert.Equal(SyncState.FromRemote, node.GetSnapshot().SyncState);
        return (node, table);
    }

    [Fact]
    public void Handover_NoNewProcess_FailsAtDeadline()
    {
        var m = Start();
        m.Net.MoveAside("a", "a-old");
        m.Net.Block("a-old", "a");

        m.Old.BeginHandover(TimeSpan.FromSeconds(2));
        m.Net.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(HandoverPhase.Failed, m.Old.Handover);
    }

    [Fact]
    public void LocalPeerHello_NotExpected_IsAnsweredTryAgain()
    {
        var m = Start();
        var other = new PeerNode(new PeerNodeOptions { LocalPeerName = "b", RemotePeers = ["a"] }, [InMemoryReplicatedTable.CreateStringGpc0()], m.Net.Time, NullLoggerFactory.Instance, new Random(3));
        m.Net.Add("b-old", other, ["a"]);
        other.BeginHandover(Deadline);
        m.Net.Advance(TimeSpan.FromSeconds(1));

        // "b" was not started with -sf: it answers 300 to its own name and the old process keeps trying.
        Assert.Equal(HandoverPhase.Running, other.Handover);
        m.Net.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(HandoverPhase.Failed, other.Handover);
    }

    [Fact]
    public void NoOldProcess_NewProcessAsksRemoteAfterWindow()
    {
        var m = Start();
        m.B.SetLocal("k", 4);
        m.Net.TickAll();
        m.Net.Block("a-old", "a");
        var (node, table) = StartNew(m);
        m.Net.Cut("a", "b");
        m.Net.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(SyncState.FromLocal, node.GetSnapshot().SyncState);

        m.Net.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal(SyncState.Finished, node.GetSnapshot().SyncState);
        Assert.Equal(4UL, table.GetGpc0("k"));
    }

    [Fact]
    public void Handover_CutMidLesson_OldRetriesAndNothingIsLost()
    {
        var m = Start();
        for (var i = 0; i < 500; i++)
        {
            m.OldTable.SetLocal("k" + i, (ulong)i);
        }

        m.Net.TickAll();
        var (node, table) = StartNew(m);
        m.Net.CutAfter("a-old", "a", 3000);

        m.Old.BeginHandover(Deadline);
        m.Net.Pump();
        Assert.Equal(HandoverPhase.Running, m.Old.Handover);
        Assert.InRange(table.Count, 1, 499);
        Assert.Equal(SyncState.FromLocal, node.GetSnapshot().SyncState);

        m.Net.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HandoverPhase.Done, m.Old.Handover);
        Assert.Equal(500, table.Count);
        Assert.Equal(SyncState.Finished, node.GetSnapshot().SyncState);
        Assert.Equal(1, node.Coordinator.LessonsAborted);
    }
}
