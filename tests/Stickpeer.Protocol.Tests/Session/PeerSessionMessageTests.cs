// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Session;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;
using static Stickpeer.Protocol.Tests.Session.SessionTestKit;

namespace Stickpeer.Protocol.Tests.Session;

public sealed class PeerSessionMessageTests
{
    [Fact]
    public void Established_DefineThenUpdates_DispatchesAndAcksCumulatively()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());
        var schema = Schema();
        var data = Define(3, schema).Concat(Update(schema, 10, "k1", 5)).Concat(Update(schema, null, "k2", 6)).ToArray();

        Assert.Equal(data.Length, Feed(s, data));
        Assert.Equal(1, s.FlushAcks());

        Assert.Equal([(103, 10u, "k1", 5UL), (103, 11u, "k2", 6UL)], h.Updates);
        Assert.Equal(Hex.Format(Bytes(w => PeerMessageWriter.WriteAck(w, 3, 11))), Hex.Format(Drain(s)));
        Assert.Equal(0, s.FlushAcks());
    }

    [Fact]
    public void Established_PartialMessagePresentedAgain_BytesCountedOnce()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());
        var schema = Schema();
        var data = Define(3, schema).Concat(Update(schema, 10, "k1", 5)).ToArray();
        var before = s.Counters.BytesReceived;

        // Like a PipeReader: the unconsumed tail (a partial update) comes again with the rest.
        var first = Feed(s, data.AsSpan(0, data.Length - 2).ToArray());
        Assert.True(first < data.Length - 2);
        Assert.Equal(data.Length - first, Feed(s, data.AsSpan((int)first).ToArray()));

        Assert.Single(h.Updates);
        Assert.Equal(data.Length, s.Counters.BytesReceived - before);
    }

    [Fact]
    public void Established_MessagesInAnySegmentation_DecodeLikeContiguousInput()
    {
        var schema = Schema();
        var data = Define(3, schema)
            .Concat(Enumerable.Range(0, 40).SelectMany(i => Update(schema, i % 3 == 0 ? (uint)(100 + i) : null, "key-" + i, (ulong)(i * 1000))))
            .Concat(Bytes(w => PeerMessageWriter.WriteControl(w, ControlMessageType.Heartbeat)))
            .ToArray();
        var expected = Enumerable.Range(0, 40).Select(i => (103, (uint)(100 + i), "key-" + i, (ulong)(i * 1000))).ToList();
        foreach (var (name, sequence) in FragmentedSequence.AllVariants(data).Concat([("7-byte segments", FragmentedSequence.Create(data, [.. Enumerable.Range(1, data.Length / 7).Select(i => i * 7)]))]))
        {
            var h = new RecordingSessionHandler();
            var s = EstablishedAcceptor(h, NewClock());

            var fed = Feed(s, sequence);
            Assert.True(fed == data.Length, $"{name}: {fed} of {data.Length}, {h.Updates.Count} updates, state {s.State}, {s.Counters.MessagesReceived} messages");

            Assert.Equal(expected, h.Updates);
            Assert.Equal(1, s.Counters.HeartbeatsReceived);
            Assert.Equal(41 + 1, s.Counters.MessagesReceived);
        }
    }

    [Fact]
    public void Established_UpdateWithoutDefine_IsIgnoredAndNotAcked()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());

        Feed(s, Update(Schema(), 10, "k1", 5));

        Assert.Empty(h.Updates);
        Assert.Equal(0, s.FlushAcks());
        Assert.Equal(1, s.Counters.UpdatesIgnored);
    }

    [Fact]
    public void Established_UpdateForIgnoredTable_IsDroppedAndNotAcked()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());
        var schema = Schema("ignored");

        Feed(s, Define(1, schema).Concat(Update(schema, 1, "k", 1)).ToArray());

        Assert.Empty(h.Updates);
        Assert.Equal(0, s.FlushAcks());
    }

    [Fact]
    public void Established_SwitchSelectsPreviouslyDefinedTable()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());
        var t1 = Schema("t1");
        var t2 = Schema("t2");
        var data = Define(1, t1).Concat(Define(2, t2)).Concat(Bytes(w => PeerMessageWriter.WriteSwitch(w, 1))).Concat(Update(t1, 7, "k", 1)).ToArray();

        Feed(s, data);

        Assert.Equal(101, Assert.Single(h.Updates).Table);
    }

    [Fact]
    public void Established_Ack_IsReported()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());

        Feed(s, Bytes(w => PeerMessageWriter.WriteAck(w, 2, 0x01020304)));

        Assert.Equal([(2, 0x01020304u)], h.Acks);
    }

    [Fact]
    public void Established_UnsolicitedFinishedOrPartial_IsAlwaysConfirmed()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());

        Feed(s, [0x00, 0x01, 0x00, 0x02]);

        Assert.Equal("00 03 00 03", Hex.Format(Drain(s)));
        Assert.Equal([ControlMessageType.ResyncFinished, ControlMessageType.ResyncPartial], h.Controls);
    }

    [Fact]
    public void Established_LessonEnd_AcksGoOutBeforeTheConfirm()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());
        var schema = Schema();

        Feed(s, Define(1, schema).Concat(Update(schema, 9, "k", 1, timed: true)).Concat(new byte[] { 0x00, 0x01 }).ToArray());

        var expected = Bytes(w => PeerMessageWriter.WriteAck(w, 1, 9)).Concat(new byte[] { 0x00, 0x03 }).ToArray();
        Assert.Equal(Hex.Format(expected), Hex.Format(Drain(s)));
    }

    [Fact]
    public void Established_ReservedClass_Sends0100AndCloses()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());

        Feed(s, [0xFF, 0x00, 0x00, 0x04]);

        Assert.Equal("01 00", Hex.Format(Drain(s)));
        Assert.Equal(SessionCloseReason.ProtocolError, s.CloseReason);
        Assert.Equal(1, h.ClosedCalls);
    }

    [Fact]
    public void Established_OversizedMessage_Sends0101AndCloses()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());
        var header = new byte[8];
        header[0] = 0x0A;
        header[1] = 0x80;
        var n = PeerVarint.Write(header.AsSpan(2), 100_000);

        Feed(s, header[..(2 + n)]);

        Assert.Equal("01 01", Hex.Format(Drain(s)));
        Assert.Equal(SessionCloseReason.SizeLimit, s.CloseReason);
    }

    [Fact]
    public void Established_TooManyTableIds_Sends0100AndClosesBeforeTheHandlerSeesTheExtraDefine()
    {
        var h = new RecordingSessionHandler();
        var options = new PeerSessionOptions { LocalPeerName = "b", MaxTablesPerSession = 3 };
        var s = EstablishedAcceptor(h, NewClock(), options);
        var schema = Schema();

        // Re-defining a known id does not count; a fourth distinct id does.
        var defines = Define(1, schema).Concat(Define(2, schema)).Concat(Define(3, schema)).Concat(Define(2, schema)).ToArray();
        Assert.Equal(defines.Length, Feed(s, defines));
        Assert.Empty(Drain(s));
        Assert.Equal(4, h.Events.Count(e => e.StartsWith("define ", StringComparison.Ordinal)));

        Feed(s, Define(4, schema));

        Assert.Equal("01 00", Hex.Format(Drain(s)));
        Assert.Equal(SessionCloseReason.ProtocolError, s.CloseReason);
        Assert.Equal(4, h.Events.Count(e => e.StartsWith("define ", StringComparison.Ordinal)));
        Assert.Equal(1, s.Counters.ProtocolErrors);
    }

    [Fact]
    public void Established_MalformedAck_Sends0100AndCloses()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());

        Feed(s, [0x0A, 0x84, 0x02, 0x01, 0x00]);

        Assert.Equal("01 00", Hex.Format(Drain(s)));
        Assert.Equal(SessionCloseReason.ProtocolError, s.CloseReason);
    }

    [Fact]
    public void Established_PeerErrorMessage_ClosesWithoutReply()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());

        Feed(s, [0x01, 0x00]);

        Assert.Empty(Drain(s));
        Assert.Equal(SessionCloseReason.RemoteError, s.CloseReason);
    }

    [Fact]
    public void Established_UnknownClassesAndTypes_AreSkipped()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());

        var consumed = Feed(s, [0x05, 0x01, 0x07, 0x90, 0x02, 0xAA, 0xBB, 0x0A, 0x99, 0x00, 0x00, 0x09, 0x00, 0x04]);

        Assert.Equal(14, consumed);
        Assert.Equal(PeerSessionState.Established, s.State);
        Assert.Equal([ControlMessageType.Heartbeat], h.Controls);
    }

    [Fact]
    public void Established_PartialMessage_ConsumesNothingUntilComplete()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());
        var schema = Schema();
        var define = Define(1, schema);

        Assert.Equal(0, Feed(s, define[..^1]));
        Assert.Equal(define.Length, Feed(s, define));
        Assert.Equal(["hello a 2.1", "established", "define 1 stkt"], h.Events);
    }

    [Fact]
    public void Established_HandlerThrows_ClosesSessionWithoutThrowing()
    {
        var h = new RecordingSessionHandler { ThrowOnUpdate = true };
        var s = EstablishedAcceptor(h, NewClock());
        var schema = Schema();

        var data = Define(1, schema).Concat(Update(schema, 1, "k", 1)).ToArray();
        Assert.Equal(data.Length, Feed(s, data));

        Assert.Equal(SessionCloseReason.InternalError, s.CloseReason);
    }

    [Fact]
    public void Closed_FurtherInput_IsConsumedAndIgnored()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());
        s.Close(SessionCloseReason.Local, "test");

        Assert.Equal(2, Feed(s, [0x00, 0x00]));
        Assert.Empty(h.Controls);
        Assert.False(s.SendControl(ControlMessageType.Heartbeat));
    }

    [Fact]
    public void Established_IdleForHeartbeatInterval_SendsHeartbeat()
    {
        var time = NewClock();
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, time);

        time.Advance(TimeSpan.FromSeconds(2.9));
        Feed(s, [0x00, 0x04]);
        s.Tick();
        Assert.Empty(Drain(s));

        time.Advance(TimeSpan.FromSeconds(0.2));
        s.Tick();
        Assert.Equal("00 04", Hex.Format(Drain(s)));
        Assert.Equal(1, s.Counters.HeartbeatsSent);
    }

    [Fact]
    public void Established_PeerSilentFor5Seconds_IsDeclaredDead()
    {
        var time = NewClock();
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, time);

        for (var i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            Feed(s, [0x00, 0x04]);
            s.Tick();
        }

        Assert.Equal(PeerSessionState.Established, s.State);
        time.Advance(TimeSpan.FromSeconds(5));
        s.Tick();
        Assert.Equal(SessionCloseReason.PeerDead, s.CloseReason);
        Assert.Equal(SessionCloseReason.PeerDead, h.Closed);
    }

    [Fact]
    public void TransportClosed_AfterClosing_NotifiesOnce()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());
        Feed(s, [0xFF, 0x00]);

        s.TransportClosed("gone");

        Assert.Equal(PeerSessionState.Closed, s.State);
        Assert.Equal(1, h.ClosedCalls);
        Assert.Equal(SessionCloseReason.ProtocolError, s.CloseReason);
    }
}
