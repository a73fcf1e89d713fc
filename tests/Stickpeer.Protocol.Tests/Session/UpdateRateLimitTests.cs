// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Errors;
using Stickpeer.Protocol.Session;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;
using static Stickpeer.Protocol.Tests.Session.SessionTestKit;

namespace Stickpeer.Protocol.Tests.Session;

/// <summary>The per-session update rate limit: a token bucket of MaxUpdatesPerSecond, UpdateBurst deep.</summary>
public sealed class UpdateRateLimitTests
{
    private static readonly PeerSessionOptions Limited = new() { LocalPeerName = "b", MaxUpdatesPerSecond = 10, UpdateBurst = 5 };

    [Fact]
    public void BurstUsedUp_NextUpdate_Sends0100AndCloses()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock(), Limited);
        var schema = Schema();

        Feed(s, Define(1, schema).Concat(Updates(schema, 0, 5)).ToArray());
        Assert.Equal(5, h.Updates.Count);
        s.FlushAcks();
        Drain(s);

        Feed(s, Updates(schema, 5, 1));

        Assert.Equal("01 00", Hex.Format(Drain(s)));
        Assert.Equal(SessionCloseReason.ProtocolError, s.CloseReason);
        Assert.Equal(ProtocolError.UpdateRateLimit, s.Counters.ProtocolErrorKind);
        Assert.Equal(5, h.Updates.Count);
    }

    [Fact]
    public void TokensEarnedOverTime_AllowTheRate()
    {
        var h = new RecordingSessionHandler();
        var clock = NewClock();
        var s = EstablishedAcceptor(h, clock, Limited);
        var schema = Schema();
        Feed(s, Define(1, schema).Concat(Updates(schema, 0, 5)).ToArray());

        // 10 a second: 100 ms earns one update, 1 s earns ten but the bucket holds only five.
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Feed(s, Updates(schema, 5, 1));
        clock.Advance(TimeSpan.FromSeconds(1));
        Feed(s, Updates(schema, 6, 5));
        Assert.Equal(11, h.Updates.Count);
        Assert.Equal(PeerSessionState.Established, s.State);

        Feed(s, Updates(schema, 11, 1));
        Assert.Equal(SessionCloseReason.ProtocolError, s.CloseReason);
    }

    [Fact]
    public void UpdatesOfAnIgnoredTable_CountToo()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock(), Limited);

        Feed(s, Updates(Schema(), 0, 6)); // no DEFINE: every update is skipped, yet decoded

        Assert.Equal(ProtocolError.UpdateRateLimit, s.Counters.ProtocolErrorKind);
        Assert.Equal(5, s.Counters.UpdatesIgnored);
    }

    [Fact]
    public void LessonWeAskedFor_IsExempt_UntilItsEndMarker()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock(), Limited);
        var schema = Schema();
        Assert.True(s.SendControl(ControlMessageType.ResyncRequest));

        Feed(s, Define(1, schema).Concat(Updates(schema, 0, 50, timed: true)).ToArray());
        Assert.Equal(50, h.Updates.Count);
        Feed(s, Bytes(w => PeerMessageWriter.WriteControl(w, ControlMessageType.ResyncFinished)));
        Assert.Equal(PeerSessionState.Established, s.State);

        // After the end marker the bucket counts again (it was never drawn on: five more pass).
        Feed(s, Updates(schema, 50, 6));
        Assert.Equal(55, h.Updates.Count);
        Assert.Equal(ProtocolError.UpdateRateLimit, s.Counters.ProtocolErrorKind);
    }

    [Fact]
    public void ZeroRate_NoLimit()
    {
        var h = new RecordingSessionHandler();
        var s = EstablishedAcceptor(h, NewClock(), Limited with { MaxUpdatesPerSecond = 0 });
        var schema = Schema();

        Feed(s, Define(1, schema).Concat(Updates(schema, 0, 100)).ToArray());

        Assert.Equal(100, h.Updates.Count);
        Assert.Equal(PeerSessionState.Established, s.State);
    }

    private static byte[] Updates(Stickpeer.Protocol.Model.TableSchema schema, int from, int count, bool timed = false) =>
        [.. Enumerable.Range(from, count).SelectMany(i => Update(schema, (uint)(i + 1), "k" + i, (ulong)i, timed))];
}
