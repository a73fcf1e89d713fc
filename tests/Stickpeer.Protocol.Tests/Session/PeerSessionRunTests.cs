// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Session;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;
using static Stickpeer.Protocol.Tests.Session.SessionTestKit;

namespace Stickpeer.Protocol.Tests.Session;

/// <summary>Consecutive updates of one table are handed to the handler as runs; any other message ends a run first.</summary>
public sealed class PeerSessionRunTests
{
    [Fact]
    public void Updates_BetweenOtherMessages_ArriveAsRuns_InOrder_BeforeWhatFollows()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());
        var schema = Schema();
        var data = Define(3, schema)
            .Concat(Update(schema, 10, "a", 1)).Concat(Update(schema, null, "b", 2)).Concat(Update(schema, null, "a", 3))
            .Concat(Bytes(w => PeerMessageWriter.WriteAck(w, 1, 1)))
            .Concat(Update(schema, 20, "c", 4)).Concat(Update(schema, null, "d", 5))
            .ToArray();

        Assert.Equal(data.Length, Feed(s, data));

        Assert.Equal([(3, 0), (2, 3)], h.Runs);
        Assert.Equal([3], h.UpdatesBeforeAck); // the ACK was handled after the three updates before it
        Assert.Equal([(103, 10u, "a", 1UL), (103, 11u, "b", 2UL), (103, 12u, "a", 3UL), (103, 20u, "c", 4UL), (103, 21u, "d", 5UL)], h.Updates);
        Assert.Equal(1, s.FlushAcks());
        Assert.Equal(Hex.Format(Bytes(w => PeerMessageWriter.WriteAck(w, 3, 21))), Hex.Format(Drain(s)));
    }

    [Fact]
    public void ManyUpdates_AreSplitIntoRunsOfAtMostRunLength()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());
        var schema = Schema();
        var n = (ReceivedTable.RunLength * 2) + 5;
        var data = Define(3, schema).Concat(Enumerable.Range(0, n).SelectMany(i => Update(schema, i == 0 ? 1u : null, "k" + i, (ulong)i))).ToArray();

        Assert.Equal(data.Length, Feed(s, data));

        Assert.Equal([ReceivedTable.RunLength, ReceivedTable.RunLength, 5], h.Runs.Select(r => r.Length));
        Assert.Equal(Enumerable.Range(0, n).Select(i => ("k" + i, (ulong)i)), h.Updates.Select(u => (u.Key, u.Gpc0)));
        Assert.Equal((uint)n, h.Updates[^1].Id);
    }

    [Fact]
    public void ProtocolError_AfterSomeUpdates_TheUpdatesBeforeItAreStillHandled()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());
        var schema = Schema();
        var data = Define(3, schema).Concat(Update(schema, 10, "a", 1)).Concat(Update(schema, null, "b", 2)).Concat(new byte[] { 0xFF, 0x00, 0x00 }).ToArray();

        Feed(s, data);

        Assert.Equal(SessionCloseReason.ProtocolError, s.CloseReason);
        Assert.Equal([("a", 1UL), ("b", 2UL)], h.Updates.Select(u => (u.Key, u.Gpc0)));
    }

    [Fact]
    public void UpdatesSplitAcrossReads_AreAllHandledByTheEndOfEachRead()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock());
        var schema = Schema();
        var first = Define(3, schema).Concat(Update(schema, 10, "a", 1)).Concat(Update(schema, null, "b", 2)).ToArray();
        var partial = Update(schema, null, "c", 3);

        Assert.Equal(first.Length, Feed(s, first.Concat(partial.AsSpan(0, 3).ToArray()).ToArray()));
        Assert.Equal(2, h.Updates.Count); // applied before Receive returned: the caller's ACK covers them

        Assert.Equal(partial.Length, Feed(s, partial));
        Assert.Equal(3, h.Updates.Count);
    }
}
