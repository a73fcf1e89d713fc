// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Session;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit.Replication;

namespace Stickpeer.Node.Tests.Replication;

/// <summary>One <see cref="PeerNode"/> against a hand-driven peer: exact messages on the wire.</summary>
public sealed class PeerNodeWireTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryReplicatedTable _table = InMemoryReplicatedTable.CreateStringGpc0();

    private PeerNode NewNode(bool learn = false, Func<PeerNodeOptions, PeerNodeOptions>? configure = null, params string[] peers)
    {
        var options = new PeerNodeOptions { LocalPeerName = "a", RemotePeers = peers.Length == 0 ? ["x"] : peers, LearnOnStartup = learn, ProcessId = 7 };
        return new PeerNode(configure?.Invoke(options) ?? options, [_table], _time, NullLoggerFactory.Instance, new Random(3));
    }

    private static List<NodeAction> Actions(PeerNode node)
    {
        var list = new List<NodeAction>();
        while (node.TryDequeueAction(out var a))
        {
            list.Add(a);
        }

        return list;
    }

    [Fact]
    public void Teach_ResyncRequestWhenFinished_SendsDefineTimedUpdatesAndFinished()
    {
        _table.SetLocal("k1", 1);
        _table.SetLocal("k2", 2);
        var node = NewNode();
        var (x, status) = RawPeer.ConnectInbound(node, "x");
        Assert.Equal("200", status);
        x.Read();

        x.SendControl(ControlMessageType.ResyncRequest);
        var got = x.Read();

        Assert.Equal("define 1 stkt", got[0]);

        // Consecutive ids: the first explicit, the next implicit, as HAProxy teaches.
        Assert.Equal(1, got.Count(m => m.StartsWith("update 0x85", StringComparison.Ordinal)));
        Assert.Equal(1, got.Count(m => m.StartsWith("update 0x86", StringComparison.Ordinal)));
        Assert.Equal("control ResyncFinished", got[^1]);
    }

    [Fact]
    public void Teach_ImplicitIdsInLessonsOff_EveryUpdateCarriesItsId()
    {
        _table.SetLocal("k1", 1);
        _table.SetLocal("k2", 2);
        var node = NewNode(configure: o => o with { UseImplicitIdsInLessons = false });
        var (x, _) = RawPeer.ConnectInbound(node, "x");
        x.Read();

        x.SendControl(ControlMessageType.ResyncRequest);
        var got = x.Read();

        Assert.Equal(2, got.Count(m => m.StartsWith("update 0x85", StringComparison.Ordinal)));
        Assert.DoesNotContain(got, m => m.StartsWith("update 0x86", StringComparison.Ordinal));
    }

    [Fact]
    public void Teach_ResyncRequestWhileLearning_TableRestoredFromDisk_EndsWithFinished()
    {
        // After a restart of every node, the one that loaded its tables is the teacher to accept.
        _table.RestoredFromDisk = true;
        _table.SetLocal("k1", 1);
        var node = NewNode(learn: true, peers: ["x", "y"]);
        var (x, _) = RawPeer.ConnectInbound(node, "y");
        x.Read();

        x.SendControl(ControlMessageType.ResyncRequest);
        var got = x.Read();

        Assert.Equal(SyncState.FromRemote, node.Coordinator.State);
        Assert.Contains("define 1 stkt", got);
        Assert.Equal("control ResyncFinished", got[^1]);
    }

    [Fact]
    public void Teach_ResyncRequestWhileStillLearning_EndsWithPartial()
    {
        var node = NewNode(learn: true, peers: ["x", "y"]);
        var (x, _) = RawPeer.ConnectInbound(node, "y");
        x.Read();

        x.SendControl(ControlMessageType.ResyncRequest);
        var got = x.Read();

        Assert.Contains("define 1 stkt", got);
        Assert.Equal("control ResyncPartial", got[^1]);
    }

    [Fact]
    public void Teach_PushesSuspendedUntilConfirm_ThenResumeFromTeachOrigin()
    {
        _table.SetLocal("old", 1);
        var node = NewNode();
        var (x, _) = RawPeer.ConnectInbound(node, "x");
        var first = x.Read();
        Assert.Contains("update 0x80 1 old gpc0=1", first);
        x.Send(w => PeerMessageWriter.WriteAck(w, 1, 1));

        x.SendControl(ControlMessageType.ResyncRequest);
        Assert.Equal("control ResyncFinished", x.Read()[^1]);

        _table.SetLocal("during", 2);
        node.Flush();
        Assert.Empty(x.Read());

        x.SendControl(ControlMessageType.ResyncConfirm);
        var after = x.Read();
        Assert.Contains("update 0x80 2 during gpc0=2", after);
        Assert.Equal(2u, node.GetSnapshot().Peers[0].Tables[0].LastPushed);
    }

    [Fact]
    public void Teach_FreshPeer_OlderEntriesAreNotPushedAgainAfterTheLesson()
    {
        _table.SetLocal("k0", 1);
        _table.SetLocal("k1", 2);
        var node = NewNode();
        var (x, _) = RawPeer.ConnectInbound(node, "x");
        x.Read(); // pushed before the peer asked for a lesson

        x.SendControl(ControlMessageType.ResyncRequest);
        var lesson = x.Read();
        Assert.Equal(2, lesson.Count(m => m.StartsWith("update", StringComparison.Ordinal)));
        Assert.Equal("control ResyncFinished", lesson[^1]);

        x.SendControl(ControlMessageType.ResyncConfirm);
        node.Flush();
        Assert.DoesNotContain(x.Read(), m => m.StartsWith("update", StringComparison.Ordinal));

        _table.SetLocal("k2", 3);
        node.Flush();
        Assert.Contains("update 0x80 3 k2 gpc0=3", x.Read());
    }

    [Fact]
    public void Push_UsesExplicitIdsByDefault_AndImplicitOnlyWhenEnabled()
    {
        for (var i = 0; i < 3; i++)
        {
            _table.SetLocal("k" + i, (ulong)i);
        }

        var node = NewNode();
        var (x, _) = RawPeer.ConnectInbound(node, "x");
        var explicitRun = x.Read().Where(m => m.StartsWith("update", StringComparison.Ordinal)).ToList();
        Assert.All(explicitRun, m => Assert.StartsWith("update 0x80", m, StringComparison.Ordinal));

        var implicitNode = new PeerNode(
            new PeerNodeOptions { LocalPeerName = "b", RemotePeers = ["x"], LearnOnStartup = false, UseImplicitUpdateIds = true },
            [_table], _time, NullLoggerFactory.Instance, new Random(1));
        var (y, _) = RawPeer.ConnectInbound(implicitNode, "x");
        var implicitRun = y.Read().Where(m => m.StartsWith("update", StringComparison.Ordinal)).ToList();
        Assert.Equal(["update 0x80 1 k0 gpc0=0", "update 0x81 2 k1 gpc0=1", "update 0x81 3 k2 gpc0=2"], implicitRun);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(uint.MaxValue - 2)]
    [InlineData(uint.MaxValue - 4)]
    public void Push_FreshPeer_GetsEveryLocalChangeEvenAcrossIdWrap(uint initialId)
    {
        var table = new InMemoryReplicatedTable(_table.Schema, initialId);
        for (var i = 0; i < 5; i++)
        {
            table.SetLocal("k" + i, (ulong)i);
        }

        var node = new PeerNode(new PeerNodeOptions { LocalPeerName = "a", RemotePeers = ["x"], LearnOnStartup = false }, [table], _time, NullLoggerFactory.Instance, new Random(1));
        var (x, _) = RawPeer.ConnectInbound(node, "x");

        var updates = x.Read().Where(m => m.StartsWith("update", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, updates.Count);
        Assert.Equal($"update 0x80 {unchecked(initialId + 5)} k4 gpc0=4", updates[^1]);

        x.Send(w => PeerMessageWriter.WriteAck(w, 1, unchecked(initialId + 5)));
        Assert.Equal(unchecked(initialId + 5), node.GetSnapshot().Peers[0].Tables[0].Acked);
    }

    [Fact]
    public void Push_BatchesAreBoundedPerPass()
    {
        var node = NewNode(configure: o => o with { MaxUpdatesPerPass = 10 });
        var (x, _) = RawPeer.ConnectInbound(node, "x");
        x.Read();
        for (var i = 0; i < 25; i++)
        {
            _table.SetLocal("k" + i, 1);
        }

        node.Flush();
        Assert.Equal(10u, node.GetSnapshot().Peers[0].Tables[0].LastPushed);
        Assert.Equal(_time.GetUtcNow(), node.NextTickDue);
        node.Tick();
        Assert.Equal(20u, node.GetSnapshot().Peers[0].Tables[0].LastPushed);
        Assert.Equal(20, x.Read().Count(m => m.StartsWith("update", StringComparison.Ordinal)));

        // Draining the output runs the next pass at once.
        Assert.Equal(25u, node.GetSnapshot().Peers[0].Tables[0].LastPushed);
        Assert.Equal(5, x.Read().Count(m => m.StartsWith("update", StringComparison.Ordinal)));
    }

    [Fact]
    public void Ack_OutsideSentWindow_IsIgnoredAndCounted()
    {
        _table.SetLocal("k1", 1);
        _table.SetLocal("k2", 2);
        var node = NewNode();
        var (x, _) = RawPeer.ConnectInbound(node, "x");
        x.Read();

        x.Send(w => PeerMessageWriter.WriteAck(w, 1, 99));
        x.Send(w => PeerMessageWriter.WriteAck(w, 7, 1));
        var snap = node.GetSnapshot().Peers[0];
        Assert.Equal(0u, snap.Tables[0].Acked);
        Assert.Equal(2, snap.ImpossibleAcks);

        x.Send(w => PeerMessageWriter.WriteAck(w, 1, 2));
        x.Send(w => PeerMessageWriter.WriteAck(w, 1, 1));
        Assert.Equal(2u, node.GetSnapshot().Peers[0].Tables[0].Acked);
    }

    [Fact]
    public void Receive_Updates_AreAppliedAndAckedOncePerBatch()
    {
        var node = NewNode();
        var (x, _) = RawPeer.ConnectInbound(node, "x");
        x.Read();
        var schema = _table.Schema;

        x.Send(w =>
        {
            PeerMessageWriter.WriteDefine(w, 5, schema);
            for (uint i = 1; i <= 3; i++)
            {
                var values = new Stickpeer.Protocol.Model.EntryValues(schema);
                values.Of(Stickpeer.Protocol.Model.StickDataType.Gpc0)[0].Number = i * 10;
                PeerMessageWriter.WriteUpdate(w, false, i + 100, 0, System.Text.Encoding.ASCII.GetBytes("r" + i), values, new ServerKeyEncoderCache());
            }
        });

        Assert.Equal(["ack 5 103"], x.Read());
        Assert.Equal(30UL, _table.GetGpc0("r3"));
    }

    [Fact]
    public void ProtocolError_ReservedClass_Sends0100AndAsksTransportToClose()
    {
        var node = NewNode();
        var (x, _) = RawPeer.ConnectInbound(node, "x");
        x.Read();
        Actions(node);

        x.Send([0xFF, 0x01]);

        Assert.Equal(["error 0"], x.Read());
        var close = Assert.Single(Actions(node));
        Assert.Equal(NodeActionKind.Close, close.Kind);
        Assert.Equal(x.Id, close.Connection);
        Assert.Equal(1, node.GetSnapshot().Peers[0].ProtocolErrors);
    }

    [Fact]
    public void ProtocolError_OversizedMessage_Sends0101()
    {
        var node = NewNode();
        var (x, _) = RawPeer.ConnectInbound(node, "x");
        x.Read();

        x.Send([0x0A, 0x80, 0xFF, 0xFF, 0x7F]);

        Assert.Equal(["error 1"], x.Read());
        Assert.Null(node.GetSnapshot().Peers[0].SessionState);
    }

    [Theory]
    [InlineData("stranger", null, "2.1", "504")]
    [InlineData("x", "not-a", "2.1", "503")]
    [InlineData("x", null, "2.9", "502")]
    [InlineData("a", null, "2.1", "300")]
    [InlineData("x", null, "2.1", "200")]
    public void Handshake_InboundHello_AnswersExpectedStatus(string name, string? target, string version, string expected)
    {
        var node = NewNode();
        var (_, status) = RawPeer.ConnectInbound(node, name, target, version);
        Assert.Equal(expected, status);
    }

    [Theory]
    [InlineData(501)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public void Handshake_Outbound50x_IsNotRetriedFromOurSide(int status)
    {
        var node = NewNode();
        node.Tick();
        var connect = Assert.Single(Actions(node));
        Assert.Equal(NodeActionKind.Connect, connect.Kind);
        var (_, hello) = RawPeer.AnswerOutbound(node, connect.Connection, status);
        Assert.Equal("HAProxyS 2.1\nx\na 7 1\n", hello);
        node.Closed(connect.Connection, "closed");

        _time.Advance(TimeSpan.FromSeconds(60));
        node.Tick();

        Assert.DoesNotContain(Actions(node), a => a.Kind == NodeActionKind.Connect);
        var peer = node.GetSnapshot().Peers[0];
        Assert.Equal(status, peer.LastStatus);
        Assert.True(peer.NoRetry);

        var (_, ok) = RawPeer.ConnectInbound(node, "x");
        Assert.Equal("200", ok);
        Assert.False(node.GetSnapshot().Peers[0].NoRetry);
    }

    [Fact]
    public void Handshake_Outbound300_IsRetriedAfterReconnectInterval()
    {
        var node = NewNode();
        node.Tick();
        var connect = Actions(node).Single();
        RawPeer.AnswerOutbound(node, connect.Connection, 300);
        node.Closed(connect.Connection, "closed");

        _time.Advance(TimeSpan.FromSeconds(4.9));
        node.Tick();
        Assert.DoesNotContain(Actions(node), a => a.Kind == NodeActionKind.Connect);
        _time.Advance(TimeSpan.FromSeconds(0.2));
        node.Tick();
        Assert.Contains(Actions(node), a => a.Kind == NodeActionKind.Connect);
    }

    [Fact]
    public void Connect_TransportNeverReportsUp_IsAbandonedAfterConnectTimeout()
    {
        var node = NewNode();
        node.Tick();
        var connect = Actions(node).Single();

        _time.Advance(TimeSpan.FromSeconds(5));
        node.Tick();

        var actions = Actions(node);
        Assert.Equal(NodeActionKind.Close, actions[0].Kind);
        Assert.Equal(connect.Connection, actions[0].Connection);
    }

    [Fact]
    public void Collision_NewerInboundSession_ReplacesOlderOne()
    {
        var node = NewNode();
        var (first, _) = RawPeer.ConnectInbound(node, "x");
        Actions(node);

        var (second, status) = RawPeer.ConnectInbound(node, "x");

        Assert.Equal("200", status);
        var close = Assert.Single(Actions(node));
        Assert.Equal(NodeActionKind.Close, close.Kind);
        Assert.Equal(first.Id, close.Connection);
        var peer = node.GetSnapshot().Peers[0];
        Assert.Equal(second.Id, peer.Connection);
        Assert.Equal(1, peer.Collisions);
        Assert.Equal(PeerSessionState.Established, peer.SessionState);
    }

    [Fact]
    public void Collision_InboundHelloWhileOutboundPending_KillsOutboundAndBacksOff()
    {
        var node = NewNode();
        node.Tick();
        var connect = Actions(node).Single();
        node.Connected(connect.Connection);

        var (_, status) = RawPeer.ConnectInbound(node, "x");

        Assert.Equal("200", status);
        var close = Assert.Single(Actions(node));
        Assert.Equal(connect.Connection, close.Connection);
        node.Closed(connect.Connection, "closed");
        Assert.Equal(PeerSessionState.Established, node.GetSnapshot().Peers[0].SessionState);
    }

    [Fact]
    public void Liveness_IdleSession_HeartbeatsThenDiesAfterSilence_AndReconnectsWithBackoff()
    {
        var node = NewNode();
        var (x, _) = RawPeer.ConnectInbound(node, "x");
        x.Read();
        Actions(node);

        _time.Advance(TimeSpan.FromSeconds(3));
        node.Tick();
        Assert.Equal(["control Heartbeat"], x.Read());

        _time.Advance(TimeSpan.FromSeconds(2));
        node.Tick();
        var close = Assert.Single(Actions(node));
        Assert.Equal(NodeActionKind.Close, close.Kind);
        node.Closed(x.Id, "closed");
        Assert.Equal(1, node.GetSnapshot().Peers[0].DeadPeerTimeouts);

        _time.Advance(TimeSpan.FromMilliseconds(2049));
        node.Tick();
        Assert.Contains(Actions(node), a => a.Kind == NodeActionKind.Connect);
    }

    [Fact]
    public void Liveness_PeerHeartbeats_KeepSessionAlive()
    {
        var node = NewNode();
        var (x, _) = RawPeer.ConnectInbound(node, "x");
        for (var i = 0; i < 20; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            x.SendControl(ControlMessageType.Heartbeat);
            node.Tick();
        }

        Assert.Equal(PeerSessionState.Established, node.GetSnapshot().Peers[0].SessionState);
        Assert.InRange(node.GetSnapshot().Peers[0].SessionCounters!.HeartbeatsSent, 5, 7);
    }

    [Fact]
    public void Learn_EndMarkerThenProtocolErrorInOneRead_CommitsLessonAndConfirmsFirst()
    {
        // Node-level form of the 3.0 interleaving: the lesson end arrives and the session dies
        // in the same pass, before the coordinator commits.
        var node = NewNode(learn: true);
        var (x, _) = RawPeer.ConnectInbound(node, "x");
        Assert.Contains("control ResyncRequest", x.Read());

        x.Send([0x00, 0x01, 0xFF, 0x00]);

        Assert.Equal(["control ResyncConfirm", "error 0"], x.Read());
        Assert.Equal(SyncState.Finished, node.Coordinator.State);
        Assert.Equal(1, node.Coordinator.LessonsCompleted);
        Assert.Null(node.GetSnapshot().Peers[0].SessionState);
    }

    [Fact]
    public void Learn_SessionLostBeforeEndMarker_AsksNextPeer()
    {
        var node = NewNode(learn: true, peers: ["x", "y"]);
        var (x, _) = RawPeer.ConnectInbound(node, "x");
        var (y, _) = RawPeer.ConnectInbound(node, "y");
        Assert.Contains("control ResyncRequest", x.Read());
        Assert.DoesNotContain("control ResyncRequest", y.Read());

        node.Closed(x.Id, "reset");

        Assert.Contains("control ResyncRequest", y.Read());
        Assert.Equal(1, node.Coordinator.LessonsAborted);
        y.SendControl(ControlMessageType.ResyncFinished);
        Assert.Equal(SyncState.Finished, node.Coordinator.State);
    }

    [Fact]
    public void Learn_NoPushesToTeacherUntilLessonEnds()
    {
        var node = NewNode(learn: true);
        var (x, _) = RawPeer.ConnectInbound(node, "x");
        x.Read();
        _table.SetLocal("mine", 5);
        node.Flush();
        Assert.Empty(x.Read());

        x.SendControl(ControlMessageType.ResyncPartial);

        var got = x.Read();
        Assert.Equal("control ResyncConfirm", got[0]);
        Assert.Contains("update 0x80 1 mine gpc0=5", got);
    }
}
