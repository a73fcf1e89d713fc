// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Time.Testing;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Replication;

namespace Stickpeer.Tables.Tests;

/// <summary>
/// A teacher teaches back what it learned from us. That echo must not turn our pending local
/// change into a learned entry, or peers that have not acknowledged it yet would never get it.
/// </summary>
public class ApplyRemoteEchoTests
{
    private readonly FakeTimeProvider _time = new();

    private static List<string> PushWindow(StickTable t, uint after)
    {
        var batch = new UpdateBatch(t.Schema, 100);
        t.CollectLocalChanges(after, batch);
        return Enumerable.Range(0, batch.Count).Select(i => Keys.StickKeyText.Format(t.KeyType, batch.GetKey(i))).ToList();
    }

    [Fact]
    public void ApplyRemote_EchoOfPendingLocalChange_StaysInPushWindow()
    {
        var t = TestTables.Create("type integer size 10 expire 1m store gpc0,conn_cnt", _time);
        t.Set(t.Key("1"), [new DataAssignment(StickDataType.Gpc0, 0, 5), new DataAssignment(StickDataType.ConnCnt, 0, 3)]);

        var result = t.ApplyRemote(TestTables.Update(t.Schema, t.Key("1"), v =>
        {
            v.Slots[0].Number = 5; // slots follow data-type ids: gpc0 (2) before conn_cnt (4)
            v.Slots[1].Number = 3;
        }));

        Assert.Equal(ApplyResult.Applied, result);
        Assert.True(t.TryGetSnapshot(t.Key("1"), out var s));
        Assert.False(s.IsLearned);
        Assert.Equal(["1"], PushWindow(t, 0));
    }

    [Fact]
    public void ApplyRemote_DifferentValueOnPendingLocalChange_IsLearnedAndLeavesPushWindow()
    {
        var t = TestTables.Create("type integer size 10 expire 1m store gpc0,conn_cnt", _time);
        t.Set(t.Key("1"), [new DataAssignment(StickDataType.Gpc0, 0, 5), new DataAssignment(StickDataType.ConnCnt, 0, 3)]);

        t.ApplyRemote(TestTables.Update(t.Schema, t.Key("1"), v =>
        {
            v.Slots[0].Number = 6;
            v.Slots[1].Number = 3;
        }));

        Assert.True(t.TryGetSnapshot(t.Key("1"), out var s));
        Assert.True(s.IsLearned);
        Assert.Empty(PushWindow(t, 0));
        Assert.Equal(6, t.Get("1", StickDataType.Gpc0));
    }

    [Fact]
    public void ApplyRemote_EchoedRateWithOtherAge_StaysInPushWindow()
    {
        // The echo's age comes from the teacher's clock, so only the period counts can match.
        var t = TestTables.Create("type ip size 10 expire 1m store http_req_rate(10s)", _time);
        t.Increment(t.Key("10.0.0.1"), StickDataType.HttpReqRate);
        t.Increment(t.Key("10.0.0.1"), StickDataType.HttpReqRate);
        _time.Advance(TimeSpan.FromMilliseconds(1500));

        t.ApplyRemote(TestTables.Update(t.Schema, t.Key("10.0.0.1"), v =>
        {
            v.Slots[0].AgeMs = 700;
            v.Slots[0].Current = 2;
            v.Slots[0].Previous = 0;
        }));

        Assert.True(t.TryGetSnapshot(t.Key("10.0.0.1"), out var s));
        Assert.False(s.IsLearned);
        Assert.Equal(["10.0.0.1"], PushWindow(t, 0));
    }

    [Fact]
    public void ApplyRemote_EchoOfLearnedEntry_StaysLearned()
    {
        var t = TestTables.Create("type integer size 10 expire 1m store gpc0", _time);
        t.ApplyRemote(TestTables.Update(t.Schema, t.Key("1"), v => v.Slots[0].Number = 4));
        t.ApplyRemote(TestTables.Update(t.Schema, t.Key("1"), v => v.Slots[0].Number = 4));

        Assert.True(t.TryGetSnapshot(t.Key("1"), out var s));
        Assert.True(s.IsLearned);
        Assert.Empty(PushWindow(t, 0));
    }
}
