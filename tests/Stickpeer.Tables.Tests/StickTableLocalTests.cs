// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Time.Testing;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Tables.Tests;

public class StickTableLocalTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Increment_Gpc0_CreatesThenCountsAndUpdatesCompanionRate()
    {
        var t = TestTables.Create("type string len 32 size 100 expire 30s store gpc0,gpc0_rate(10s)", _time);
        Assert.Equal(LocalUpdateStatus.Created, t.Increment(t.Key("abc"), StickDataType.Gpc0));
        Assert.Equal(LocalUpdateStatus.Updated, t.Increment(t.Key("abc"), StickDataType.Gpc0));
        Assert.Equal(2, t.Get("abc", StickDataType.Gpc0));
        Assert.Equal(2, t.Get("abc", StickDataType.Gpc0Rate));
    }

    [Fact]
    public void Increment_UnsignedCounter_WrapsAt32Bits()
    {
        var t = TestTables.Create("type ip size 10 store conn_cnt", _time);
        var key = t.Key("10.0.0.1");
        t.Set(key, [new DataAssignment(StickDataType.ConnCnt, 0, uint.MaxValue)]);
        t.Increment(key, StickDataType.ConnCnt);
        Assert.Equal(0, t.Get("10.0.0.1", StickDataType.ConnCnt));
    }

    [Fact]
    public void Set_UnsignedCounter_TruncatesTo32BitsLikeSetTable()
    {
        var t = TestTables.Create("type ip size 10 store gpc0", _time);
        t.Set(t.Key("10.0.0.1"), [new DataAssignment(StickDataType.Gpc0, 0, 4294967297)]);
        Assert.Equal(1, t.Get("10.0.0.1", StickDataType.Gpc0));
    }

    [Fact]
    public void Increment_BytesCounter_Holds64Bits()
    {
        var t = TestTables.Create("type integer size 10 store bytes_in_cnt,bytes_out_cnt", _time);
        var key = t.Key("7");
        t.Increment(key, StickDataType.BytesInCnt, 0, uint.MaxValue);
        t.Increment(key, StickDataType.BytesInCnt, 0, 10);
        Assert.Equal(4294967305L, t.Get("7", StickDataType.BytesInCnt));
        Assert.Equal(0, t.Get("7", StickDataType.BytesOutCnt));
    }

    [Fact]
    public void Increment_ConnCur_DoesNotGoBelowZero()
    {
        var t = TestTables.Create("type ip size 10 store conn_cur", _time);
        var key = t.Key("10.0.0.2");
        t.Increment(key, StickDataType.ConnCur, 0, 2);
        t.Increment(key, StickDataType.ConnCur, 0, -3);
        Assert.Equal(0, t.Get("10.0.0.2", StickDataType.ConnCur));
    }

    [Fact]
    public void Set_ServerId_IsSigned()
    {
        var t = TestTables.Create("type ip size 10 store server_id", _time);
        t.Set(t.Key("10.0.0.3"), [new DataAssignment(StickDataType.ServerId, 0, -3)]);
        Assert.Equal(-3, t.Get("10.0.0.3", StickDataType.ServerId));
    }

    [Fact]
    public void Set_ServerKey_IsStoredAndShared()
    {
        var t = TestTables.Create("type ip size 10 store server_key", _time);
        t.Set(t.Key("10.0.0.4"), [new DataAssignment(StickDataType.ServerKey, 0, 0, new string("srv1".AsSpan()))]);
        t.Set(t.Key("10.0.0.5"), [new DataAssignment(StickDataType.ServerKey, 0, 0, new string("srv1".AsSpan()))]);
        Assert.True(t.TryGetText(t.Key("10.0.0.4"), out var a));
        Assert.True(t.TryGetText(t.Key("10.0.0.5"), out var b));
        Assert.Equal("srv1", a);
        Assert.Same(a, b);
    }

    [Fact]
    public void Set_Gpt0AndArrays_StoresEachElement()
    {
        var t = TestTables.Create("type integer size 10 store gpt(2),gpc(3),gpc_rate(3,1m)", _time);
        var key = t.Key("1");
        Assert.Equal(LocalUpdateStatus.Created, t.Set(key, [new DataAssignment(StickDataType.Gpt, 1, 9)]));
        t.Increment(key, StickDataType.Gpc, 2, 5);
        Assert.Equal(0, t.Get("1", StickDataType.Gpt, 0));
        Assert.Equal(9, t.Get("1", StickDataType.Gpt, 1));
        Assert.Equal(5, t.Get("1", StickDataType.Gpc, 2));
        Assert.Equal(5, t.Get("1", StickDataType.GpcRate, 2));
        Assert.Equal(0, t.Get("1", StickDataType.GpcRate, 0));
        Assert.Equal(LocalUpdateStatus.IndexOutOfRange, t.Increment(key, StickDataType.Gpc, 3));
    }

    [Fact]
    public void Set_Gpt0_Stores()
    {
        var t = TestTables.Create("type binary len 8 size 10 store gpt0", _time);
        t.Set(t.Key("0102"), [new DataAssignment(StickDataType.Gpt0, 0, 77)]);
        Assert.Equal(77, t.Get("0102", StickDataType.Gpt0));
    }

    [Fact]
    public void Set_Rate_SetsCurrentWithPreviousZeroStartingNow()
    {
        var t = TestTables.Create("type ip size 10 store http_req_rate(10s)", _time);
        t.Set(t.Key("10.0.0.1"), [new DataAssignment(StickDataType.HttpReqRate, 0, 8)]);
        _time.Advance(TimeSpan.FromSeconds(15)); // second period: 8 * 5000 / 10000
        Assert.Equal(4, t.Get("10.0.0.1", StickDataType.HttpReqRate));
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(0, t.Get("10.0.0.1", StickDataType.HttpReqRate));
    }

    [Fact]
    public void Increment_NotStoredType_IsRejected()
    {
        var t = TestTables.Create("type ip size 10 store gpc0", _time);
        Assert.Equal(LocalUpdateStatus.NotStored, t.Increment(t.Key("10.0.0.1"), StickDataType.Gpc1));
        Assert.Equal(0, t.Count);
    }

    [Fact]
    public void Increment_WrongKeyLength_IsInvalidKey()
    {
        var t = TestTables.Create("type ip size 10 store gpc0", _time);
        Assert.Equal(LocalUpdateStatus.InvalidKey, t.Increment([1, 2, 3], StickDataType.Gpc0));
    }

    [Fact]
    public void StringKey_LongerThanLen_IsTruncated()
    {
        var t = TestTables.Create("type string len 4 size 10 store gpc0", _time);
        t.Increment("abcdef"u8, StickDataType.Gpc0);
        t.Increment("abcdXY"u8, StickDataType.Gpc0);
        Assert.Equal(2, t.Get("abcd", StickDataType.Gpc0));
        Assert.Equal(1, t.Count);
    }

    [Fact]
    public void Remove_TrackedEntry_IsRefusedUntilUntracked()
    {
        var t = TestTables.Create("type ip size 10 store gpc0", _time);
        var key = t.Key("10.0.0.1");
        t.Track(key);
        Assert.Equal(RemoveResult.InUse, t.Remove(key));
        t.Untrack(key);
        Assert.Equal(RemoveResult.Removed, t.Remove(key));
        Assert.Equal(RemoveResult.NotFound, t.Remove(key));
    }

    [Fact]
    public void Clear_WithDataFilter_RemovesOnlyMatching()
    {
        var t = TestTables.Create("type integer size 100 store gpc0", _time);
        for (var i = 0; i < 10; i++)
        {
            t.Set(t.Key(i.ToString()), [new DataAssignment(StickDataType.Gpc0, 0, i)]);
        }

        var removed = t.Clear(new EntryFilter { Conditions = [new DataCondition(StickDataType.Gpc0, 0, FilterOperator.Gt, 6)] });
        Assert.Equal(3, removed);
        Assert.Equal(7, t.Count);
        Assert.Equal(7, t.Enumerate().Count());
        Assert.Equal(10, t.Clear() + 3);
        Assert.Equal(0, t.Count);
    }
}
