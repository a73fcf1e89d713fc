// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Time.Testing;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Tables.Tests;

public class ExpiryAndSizeTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Entry_AfterExpire_IsNotReturnedAndIsSwept()
    {
        var t = TestTables.Create("type ip size 10 expire 10s store gpc0", _time);
        t.Increment(t.Key("10.0.0.1"), StickDataType.Gpc0);
        _time.Advance(TimeSpan.FromMilliseconds(9999));
        Assert.True(t.Contains(t.Key("10.0.0.1")));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(t.Contains(t.Key("10.0.0.1")));
        Assert.Empty(t.Enumerate());
    }

    [Fact]
    public void Touch_RefreshesExpire()
    {
        var t = TestTables.Create("type ip size 10 expire 10s store gpc0", _time);
        var key = t.Key("10.0.0.1");
        t.Increment(key, StickDataType.Gpc0);
        _time.Advance(TimeSpan.FromSeconds(8));
        t.Increment(key, StickDataType.Gpc0);
        _time.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal(2, t.Get("10.0.0.1", StickDataType.Gpc0));
        Assert.True(t.TryGetSnapshot(key, out var s));
        Assert.Equal(2000u, s.ExpireMs);
    }

    [Fact]
    public void Sweep_RemovesExpiredEntries_AndCountsThem()
    {
        var t = TestTables.Create("type integer size 1000 expire 1m store gpc0", _time);
        for (var i = 0; i < 100; i++)
        {
            t.Increment(t.Key(i.ToString()), StickDataType.Gpc0);
        }

        _time.Advance(TimeSpan.FromSeconds(30));
        for (var i = 100; i < 150; i++)
        {
            t.Increment(t.Key(i.ToString()), StickDataType.Gpc0);
        }

        _time.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(100, t.Sweep());
        Assert.Equal(50, t.Count);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(50, t.Sweep());
        Assert.Equal(0, t.Count);
    }

    [Fact]
    public void Full_Table_EvictsOldestTouched()
    {
        var t = TestTables.Create("type integer size 3 expire 1m store gpc0", _time, shards: 1);
        foreach (var k in new[] { "1", "2", "3" })
        {
            t.Increment(t.Key(k), StickDataType.Gpc0);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        t.Increment(t.Key("1"), StickDataType.Gpc0); // 1 is now the most recent
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(LocalUpdateStatus.Created, t.Increment(t.Key("4"), StickDataType.Gpc0));
        Assert.Equal(3, t.Count);
        Assert.False(t.Contains(t.Key("2")));
        Assert.True(t.Contains(t.Key("1")));
    }

    [Fact]
    public void Full_NoPurgeTable_RefusesNewKeysButUpdatesExisting()
    {
        var t = TestTables.Create("type integer size 2 nopurge store gpc0", _time);
        t.Increment(t.Key("1"), StickDataType.Gpc0);
        t.Increment(t.Key("2"), StickDataType.Gpc0);
        Assert.Equal(LocalUpdateStatus.TableFull, t.Increment(t.Key("3"), StickDataType.Gpc0));
        Assert.Equal(LocalUpdateStatus.Updated, t.Increment(t.Key("1"), StickDataType.Gpc0));
        Assert.Equal(2, t.Count);
    }

    [Fact]
    public void Full_TableWithEveryEntryInUse_RefusesNewKey()
    {
        var t = TestTables.Create("type integer size 2 store gpc0", _time);
        t.Track(t.Key("1"));
        t.Track(t.Key("2"));
        Assert.Equal(LocalUpdateStatus.TableFull, t.Increment(t.Key("3"), StickDataType.Gpc0));
    }

    [Fact]
    public void NoExpireTable_EvictsLeastRecentlyTouched()
    {
        var t = TestTables.Create("type integer size 2 store gpc0", _time, shards: 1);
        t.Increment(t.Key("1"), StickDataType.Gpc0);
        t.Increment(t.Key("2"), StickDataType.Gpc0);
        t.Increment(t.Key("1"), StickDataType.Gpc0);
        t.Increment(t.Key("3"), StickDataType.Gpc0);
        Assert.True(t.Contains(t.Key("1")));
        Assert.False(t.Contains(t.Key("2")));
        _time.Advance(TimeSpan.FromDays(30));
        Assert.True(t.Contains(t.Key("1")));
    }
}
