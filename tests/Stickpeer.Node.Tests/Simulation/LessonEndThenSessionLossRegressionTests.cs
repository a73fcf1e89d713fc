// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Session;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// Regression for the HAProxy 3.0 crash (spec §9.7, GitHub issue #2629): a learner receives
/// the end of its lesson (<c>00 01</c>/<c>00 02</c>) and its session is closed before the
/// sync state machine has committed that lesson. Here a real <see cref="PeerNode"/> learns
/// from a scripted teacher over the simulated network; the teacher puts the end marker and
/// the session's end in the same segment (so the node sees both inside one Receive call,
/// before its coordinator runs), or closes right after the marker.
/// Expected: no exception, the fully received lesson counts (FINISHED ends the resync;
/// PARTIAL marks only that session's generation not up to date), nothing stays assigned,
/// and the node reconnects and keeps a healthy session.
/// </summary>
public sealed class LessonEndThenSessionLossRegressionTests
{
    public static TheoryData<byte, LessonBreak> Cases()
    {
        var data = new TheoryData<byte, LessonBreak>();
        foreach (var marker in new byte[] { 1, 2 })
        {
            foreach (var how in Enum.GetValues<LessonBreak>())
            {
                data.Add(marker, how);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Learner_EndMarkerThenSessionLost_LessonCountsAndNodeRecovers(byte marker, LessonBreak how)
    {
        ScriptedTeacher? teacher = null;
        PeerNodeSnapshot? snap = null;
        long completed = -1, aborted = -1;
        var sim = new Simulation(
            SimScenario.Quiet(seed: 30 + marker, nodes: 2, endMs: 30_000),
            ctx => ctx.Index == 1 ? teacher = new ScriptedTeacher(ctx, marker, how, breakCount: 2) : new PeerSimNode(ctx),
            finalChecks: false)
        {
            AfterRun = s =>
            {
                var learner = (PeerSimNode)s.Hosts[0].Node!;
                snap = learner.Node.GetSnapshot();
                completed = learner.Node.Coordinator.LessonsCompleted;
                aborted = learner.Node.Coordinator.LessonsAborted;
            },
        };

        var result = sim.Run();

        Assert.True(result.Passed, result.Describe());
        Assert.NotNull(snap);
        Assert.NotNull(teacher);
        Assert.True(teacher.RequestsSeen >= 1, "the learner never asked for a lesson");
        Assert.Equal(SyncState.Finished, snap.SyncState);
        Assert.Null(snap.LearningFrom);
        Assert.Equal(0, aborted);
        Assert.True(completed >= 1, $"lessons completed: {completed}");
        if (marker == 1)
        {
            // A FINISHED lesson counts even though its session died: the learner must not ask again.
            Assert.Equal(1, teacher.RequestsSeen);
            Assert.Equal(1, completed);
        }

        var peer = Assert.Single(snap.Peers);
        Assert.Equal(PeerSessionState.Established, peer.SessionState);
    }
}
