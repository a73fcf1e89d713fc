// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Node.Tests.Replication;

/// <summary>
/// A teacher's acknowledgement says it held our value <em>then</em>, not that it still does when
/// it teaches: a teacher still learning itself may since have taken an older value from a third
/// node's lesson (simulation seeds 986, 102069, 102076 under the strict oracle). Lesson values
/// never replace a local change made after start-up, whatever the teacher acknowledged.
/// </summary>
public sealed class LessonStaleTeacherTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Learn_TeacherAckedOurWriteInEarlierSessionThenTeachesOlderValue_LocalWriteWinsAndIsPushedAgain(bool real)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var table = TestTable.Create(real, time);
        var options = new PeerNodeOptions { LocalPeerName = "w", RemotePeers = ["a"], LearnOnStartup = true, ResyncWindow = Window, ProcessId = 7 };
        var node = new PeerNode(options, [table.Replica], time, NullLoggerFactory.Instance, new Random(3));

        // First session: we ask for a lesson, the teacher (still learning itself) answers "partial".
        var (a, status) = RawPeer.ConnectInbound(node, "a");
        Assert.Equal("200", status);
        Assert.Contains("control ResyncRequest", a.Read());
        a.SendControl(ControlMessageType.ResyncPartial);
        Assert.Contains("control ResyncConfirm", a.Read());

        // Our write reaches the teacher, which acknowledges it.
        WriteAndAck(table, node, a);

        // The session ends; meanwhile the teacher learned k = 1 from a node that missed our write.
        node.Closed(a.Id, "reset");
        var (a2, _) = RawPeer.ConnectInbound(node, "a");
        Assert.Contains("control ResyncRequest", a2.Read());
        TeachOlderValue(table, a2);

        Assert.Equal(SyncState.Finished, node.Coordinator.State);
        Assert.Equal(99UL, table.Get("k"));

        // The write is still ours: it goes back to the teacher after the lesson.
        node.Flush();
        Assert.Contains(a2.Read(), m => m.EndsWith(" k gpc0=99", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Learn_TeacherAckedOurWriteInThisSessionThenTeachesOlderValue_LocalWriteWinsAndIsPushedAgain(bool real)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var table = TestTable.Create(real, time);
        var options = new PeerNodeOptions { LocalPeerName = "w", RemotePeers = ["a", "b"], LearnOnStartup = true, ResyncWindow = Window, ProcessId = 7 };
        var node = new PeerNode(options, [table.Replica], time, NullLoggerFactory.Instance, new Random(3));

        // We learn from b first; a's session is up meanwhile, so our write is pushed to a and acknowledged.
        var (b, _) = RawPeer.ConnectInbound(node, "b");
        Assert.Contains("control ResyncRequest", b.Read());
        var (a, _) = RawPeer.ConnectInbound(node, "a");
        a.Read();
        WriteAndAck(table, node, a);

        // b's lesson is lost; we ask a, which (learning too) has since taken k = 1 from a node that missed our write.
        node.Closed(b.Id, "reset");
        Assert.Contains("control ResyncRequest", a.Read());
        TeachOlderValue(table, a);

        Assert.Equal(SyncState.Finished, node.Coordinator.State);
        Assert.Equal(99UL, table.Get("k"));
        node.Flush();
        Assert.Contains(a.Read(), m => m.EndsWith(" k gpc0=99", StringComparison.Ordinal));
    }

    // Writes k = 99 locally, pushes it to the peer and has the peer acknowledge it.
    private static void WriteAndAck(TestTable table, PeerNode node, RawPeer peer)
    {
        table.Set("k", 99);
        node.Flush();
        var push = Assert.Single(peer.Read(), m => m.EndsWith(" k gpc0=99", StringComparison.Ordinal));
        var id = uint.Parse(push.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        peer.Send(w => PeerMessageWriter.WriteAck(w, 1, id));
    }

    // A whole lesson from the peer carrying the older k = 1, then "finished".
    private static void TeachOlderValue(TestTable table, RawPeer peer) => peer.Send(w =>
    {
        PeerMessageWriter.WriteDefine(w, 3, table.Replica.Schema);
        var values = new EntryValues(table.Replica.Schema);
        values.Of(StickDataType.Gpc0)[0].Number = 1;
        PeerMessageWriter.WriteUpdate(w, true, 500, 60_000, Encoding.ASCII.GetBytes("k"), values, new ServerKeyEncoderCache());
        PeerMessageWriter.WriteControl(w, ControlMessageType.ResyncFinished);
    });
}
