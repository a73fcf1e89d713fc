// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Session;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;
using static Stickpeer.Protocol.Tests.Session.SessionTestKit;

namespace Stickpeer.Protocol.Tests.Session;

/// <summary>ACKs at the end of a received batch (<see cref="PeerSession.FlushAcksAfterReceive"/>).</summary>
public sealed class PeerSessionLessonAckTests
{
    [Fact]
    public void OutsideALesson_EachBatchIsAcknowledged()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());
        var schema = Schema();
        Feed(s, Define(3, schema).Concat(Update(schema, 10, "a", 1)).ToArray());

        Assert.Equal(1, s.FlushAcksAfterReceive());
        Assert.Equal(Hex.Format(Bytes(w => PeerMessageWriter.WriteAck(w, 3, 10))), Hex.Format(Drain(s)));
    }

    [Fact]
    public void DuringARequestedLesson_AcksWaitForTheEndMarker_WhichTheyPrecede()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());
        var schema = Schema();
        Assert.True(s.SendControl(ControlMessageType.ResyncRequest));
        Drain(s);

        Feed(s, Define(3, schema).Concat(Update(schema, 10, "a", 1)).ToArray());
        Assert.Equal(0, s.FlushAcksAfterReceive());
        Feed(s, Update(schema, null, "b", 2));
        Assert.Equal(0, s.FlushAcksAfterReceive());
        Assert.Empty(Drain(s));

        Feed(s, [0x00, 0x01]);
        Assert.Equal(0, s.FlushAcksAfterReceive());

        var expected = Bytes(w => PeerMessageWriter.WriteAck(w, 3, 11)).Concat(new byte[] { 0x00, 0x03 }).ToArray();
        Assert.Equal(Hex.Format(expected), Hex.Format(Drain(s)));

        // The lesson is over: batches are acknowledged again.
        Feed(s, Update(schema, null, "c", 3));
        Assert.Equal(1, s.FlushAcksAfterReceive());
    }

    [Fact]
    public void DuringALongLesson_AnAckGoesOutEveryIntervalOfUpdates()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());
        var schema = Schema();
        s.ExpectLesson();
        var n = PeerSession.LessonAckInterval;
        Feed(s, Define(3, schema).Concat(Enumerable.Range(0, n - 1).SelectMany(i => Update(schema, i == 0 ? 1u : null, "k" + (i % 100), 1))).ToArray());
        Assert.Equal(0, s.FlushAcksAfterReceive());

        Feed(s, Update(schema, null, "last", 1));

        Assert.Equal(1, s.FlushAcksAfterReceive());
        Assert.Equal(Hex.Format(Bytes(w => PeerMessageWriter.WriteAck(w, 3, (uint)n))), Hex.Format(Drain(s)));
        Assert.Equal(0, s.FlushAcksAfterReceive());
    }
}
