// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Time.Testing;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Replication;

namespace Stickpeer.Tables.Tests;

public class ReplicationTests
{
    private readonly FakeTimeProvider _time = new();

    private static List<(uint Id, string Key)> Drain(StickTable t, ref uint after, int capacity = 1000)
    {
        var batch = new UpdateBatch(t.Schema, capacity);
        var all = new List<(uint, string)>();
        do
        {
            t.CollectLocalChanges(after, batch);
            for (var i = 0; i < batch.Count; i++)
            {
                all.Add((batch.GetUpdateId(i), Keys.StickKeyText.Format(t.KeyType, batch.GetKey(i))));
            }

            after = batch.NextAfterId;
        }
        while (batch.MayHaveMore);
        return all;
    }

    [Fact]
    public void CollectLocalChanges_KeyChangedTwice_AppearsOnceAtLatestId()
    {
        var t = TestTables.Create("type integer size 100 store gpc0", _time);
        t.Increment(t.Key("1"), StickDataType.Gpc0);
        t.Increment(t.Key("2"), StickDataType.Gpc0);
        t.Increment(t.Key("1"), StickDataType.Gpc0);
        uint after = 0;
        var got = Drain(t, ref after);
        Assert.Equal([(2u, "2"), (3u, "1")], got);
        Assert.Equal(3u, after);
        Assert.Empty(Drain(t, ref after));
    }

    [Fact]
    public void CollectLocalChanges_SmallBatches_ReturnEverythingInOrder()
    {
        var t = TestTables.Create("type integer size 1000 store gpc0", _time, shards: 8);
        for (var i = 0; i < 200; i++)
        {
            t.Increment(t.Key((i % 150).ToString()), StickDataType.Gpc0);
        }

        uint after = 0;
        var got = Drain(t, ref after, capacity: 7);
        Assert.Equal(150, got.Count);
        Assert.Equal(got.OrderBy(g => g.Id).ToList(), got);
        Assert.Equal(200u, after);
    }

    [Fact]
    public void CollectLocalChanges_LiveChangesFarApartFromAFreshPeersBase_AllFoundInOrder()
    {
        // Between two live changes, one key changed 3 000 times: holes of stale records far wider than
        // a batch, which the collection must look past (it looks in a window of ids it widens).
        var t = TestTables.Create("type integer size 1000 store gpc0", _time, shards: 16);
        for (var i = 0; i < 40; i++)
        {
            t.Increment(t.Key(i.ToString()), StickDataType.Gpc0);
            for (var j = 0; j < 3_000; j++)
            {
                t.Increment(t.Key("999"), StickDataType.Gpc0);
            }
        }

        t.Increment(t.Key("40"), StickDataType.Gpc0);
        var newest = t.NewestLocalUpdateId;
        var after = unchecked(newest + 0x80000000u); // a fresh peer: everything still in the id window
        var got = Drain(t, ref after, capacity: 4);

        var expected = Enumerable.Range(0, 40).Select(i => ((uint)(1 + (i * 3_001)), i.ToString())).ToList();
        expected.Add((newest - 1, "999"));
        expected.Add((newest, "40"));
        Assert.Equal(expected, got);
        Assert.Equal(newest, after);
        Assert.Empty(Drain(t, ref after, capacity: 4));
    }

    [Fact]
    public void CollectLocalChanges_ValuesAndExpire_AreFilled()
    {
        var t = TestTables.Create("type ip size 10 expire 30s store gpc0,http_req_rate(10s)", _time);
        t.Increment(t.Key("10.0.0.1"), StickDataType.Gpc0, 0, 3);
        _time.Advance(TimeSpan.FromSeconds(2));
        var batch = new UpdateBatch(t.Schema);
        Assert.Equal(1, t.CollectLocalChanges(0, batch));
        Assert.Equal(3UL, batch.GetValues(0).Of(StickDataType.Gpc0)[0].Number);
        Assert.Equal(28000u, batch.GetExpireMs(0));
        Assert.Equal([10, 0, 0, 1], batch.GetKey(0).ToArray());
    }

    [Fact]
    public void UpdateIds_WrapPast32Bits()
    {
        var t = TestTables.Create("type integer size 100 store gpc0", _time, initialUpdateId: uint.MaxValue - 1);
        uint after = uint.MaxValue - 1;
        for (var i = 0; i < 4; i++)
        {
            t.Increment(t.Key(i.ToString()), StickDataType.Gpc0);
        }

        var got = Drain(t, ref after);
        Assert.Equal([uint.MaxValue, 0u, 1u, 2u], got.Select(g => g.Id).ToArray());
        Assert.Equal(2u, t.NewestLocalUpdateId);
        Assert.Equal(2u, after);
    }

    [Fact]
    public void ApplyRemote_MapsByTypeDropsUnknownIgnoresConnCur()
    {
        var local = TestTables.Create("type ip size 10 expire 1m store gpt0,conn_cur,http_req_rate(10s),gpc(2)", _time);
        var sender = new TableSchema("t", StickKeyType.IPv4, 4, 0,
            [new(StickDataType.Gpt0, 1, 0), new(StickDataType.ConnCur, 1, 0), new(StickDataType.HttpReqRate, 1, 10000), new(StickDataType.HttpErrCnt, 1, 0), new(StickDataType.Gpc, 3, 0)]);
        var u = TestTables.Update(sender, local.Key("10.0.0.9"), v =>
        {
            v.Of(StickDataType.Gpt0)[0].Number = 5;
            v.Of(StickDataType.ConnCur)[0].Number = 9;
            v.Of(StickDataType.HttpReqRate)[0] = new WireValue { AgeMs = 5000, Current = 10, Previous = 20 };
            v.Of(StickDataType.HttpErrCnt)[0].Number = 4;
            var gpc = v.Of(StickDataType.Gpc);
            gpc[0].Number = 1;
            gpc[1].Number = 2;
            gpc[2].Number = 3;
        });
        Assert.Equal(ApplyResult.Created, local.ApplyRemote(u));
        Assert.Equal(5, local.Get("10.0.0.9", StickDataType.Gpt0));
        Assert.Equal(0, local.Get("10.0.0.9", StickDataType.ConnCur));
        Assert.Equal(20, local.Get("10.0.0.9", StickDataType.HttpReqRate)); // 20*5000/10000 + 10
        Assert.Equal(2, local.Get("10.0.0.9", StickDataType.Gpc, 1));
        Assert.True(local.TryGetSnapshot(local.Key("10.0.0.9"), out var s));
        Assert.True(s.IsLearned);
        Assert.Equal(60000u, s.ExpireMs);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData(" recv-only", 9)]
    public void ApplyRemote_ConnCur_IsLearnedOnlyByARecvOnlyTable(string flag, long expected)
    {
        // HAProxy 3.2's recv-only: a table that only mirrors its peers learns conn_cur; any other
        // table keeps its own count (a learned one would overwrite it).
        var local = TestTables.Create("type ip size 10 expire 1m store gpt0,conn_cur" + flag, _time);
        var sender = new TableSchema("t", StickKeyType.IPv4, 4, 0, [new(StickDataType.Gpt0, 1, 0), new(StickDataType.ConnCur, 1, 0)]);
        var u = TestTables.Update(sender, local.Key("10.0.0.9"), v =>
        {
            v.Of(StickDataType.Gpt0)[0].Number = 5;
            v.Of(StickDataType.ConnCur)[0].Number = 9;
        });

        Assert.Equal(ApplyResult.Created, local.ApplyRemote(u));

        Assert.Equal(flag.Length > 0, local.ReceiveOnly);
        Assert.Equal(5, local.Get("10.0.0.9", StickDataType.Gpt0));
        Assert.Equal(expected, local.Get("10.0.0.9", StickDataType.ConnCur));
    }

    [Fact]
    public void ApplyRemote_TimedUpdate_UsesGivenExpireCappedAtLocal()
    {
        var t = TestTables.Create("type ip size 10 expire 1m store gpc0", _time);
        t.ApplyRemote(TestTables.Update(t.Schema, t.Key("10.0.0.1"), _ => { }, expireMs: 5000));
        t.ApplyRemote(TestTables.Update(t.Schema, t.Key("10.0.0.2"), _ => { }, expireMs: 500000));
        Assert.True(t.TryGetSnapshot(t.Key("10.0.0.1"), out var a));
        Assert.True(t.TryGetSnapshot(t.Key("10.0.0.2"), out var b));
        Assert.Equal(5000u, a.ExpireMs);
        Assert.Equal(60000u, b.ExpireMs);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(t.Contains(t.Key("10.0.0.1")));
    }

    [Fact]
    public void ApplyRemote_KeyTypeMismatch_IsRefused()
    {
        var t = TestTables.Create("type string size 10 store gpc0", _time);
        var other = new TableSchema("t", StickKeyType.String, 33, 0, [new(StickDataType.Gpc0, 1, 0)]);
        Assert.Equal(ApplyResult.KeyTypeMismatch, t.ApplyRemote(TestTables.Update(other, "ab"u8.ToArray(), _ => { })));
    }

    [Fact]
    public void ApplyRemote_FullNoPurge_RefusedEvenForExistingKey()
    {
        var t = TestTables.Create("type integer size 1 nopurge store gpc0", _time);
        t.Increment(t.Key("1"), StickDataType.Gpc0);
        Assert.Equal(ApplyResult.RefusedTableFull, t.ApplyRemote(TestTables.Update(t.Schema, t.Key("1"), v => v.Slots[0].Number = 9)));
        Assert.Equal(ApplyResult.RefusedTableFull, t.ApplyRemote(TestTables.Update(t.Schema, t.Key("2"), v => v.Slots[0].Number = 9)));
        Assert.Equal(1, t.Get("1", StickDataType.Gpc0));
    }

    [Fact]
    public void ApplyRemote_ManyPagesInOneShard_EveryEntryFoundRemovedAndTaughtOnce()
    {
        // Three storage pages and a half in a single shard; slots freed on the first pages are reused.
        var t = TestTables.Create("type string len 32 size 100k expire 1m store gpc0,http_req_rate(10s),server_key", _time, shards: 1);
        var n = (TableShard.PageSize * 3) + (TableShard.PageSize / 2);
        for (var i = 0; i < n; i++)
        {
            t.ApplyRemote(TestTables.Update(t.Schema, t.Key("k" + i), v =>
            {
                v.Of(StickDataType.Gpc0)[0].Number = (ulong)i;
                v.Of(StickDataType.ServerKey)[0].Text = "s" + (i % 3);
            }));
        }

        for (var i = 0; i < n; i += 2)
        {
            Assert.Equal(RemoveResult.Removed, t.Remove(t.Key("k" + i)));
        }

        for (var i = 0; i < n; i += 4)
        {
            t.Increment(t.Key("k" + i), StickDataType.Gpc0, 0, i + 1);
        }

        var expected = Enumerable.Range(0, n).Where(i => i % 2 == 1 || i % 4 == 0).ToDictionary(i => "k" + i, i => (ulong)(i % 4 == 0 ? i + 1 : i));
        foreach (var (key, value) in expected)
        {
            Assert.Equal((long)value, t.Get(key, StickDataType.Gpc0));
        }

        var batch = new UpdateBatch(t.Schema, 100);
        var cursor = default(TeachCursor);
        var taught = new Dictionary<string, ulong>();
        while (!cursor.IsComplete)
        {
            t.CollectAll(ref cursor, batch);
            for (var i = 0; i < batch.Count; i++)
            {
                taught.Add(Keys.StickKeyText.Format(t.KeyType, batch.GetKey(i)), batch.GetValues(i).Of(StickDataType.Gpc0)[0].Number);
            }
        }

        Assert.Equal(expected.Count, t.Count);
        Assert.Equal(expected.OrderBy(x => x.Key), taught.OrderBy(x => x.Key));
    }

    [Fact]
    public void CollectAll_ManyRoundsAcrossShards_TeachesEveryEntryOnceInArrivalOrder()
    {
        // 20 000 entries over 16 shards: ~39 lockstep rounds. Each entry is taught exactly once,
        // and the lesson follows arrival order closely (a tree-indexed learner inserts it with hot paths).
        const int n = 20_000;
        var t = TestTables.Create("type integer size 40000 expire 1m store gpc0", _time);
        for (var i = 0; i < n; i++)
        {
            t.ApplyRemote(TestTables.Update(t.Schema, t.Key(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), v => v.Slots[0].Number = (ulong)i));
        }

        var batch = new UpdateBatch(t.Schema, 97);
        var cursor = default(TeachCursor);
        var order = new List<int>();
        for (var guard = 0; guard < 10_000 && !cursor.IsComplete; guard++)
        {
            t.CollectAll(ref cursor, batch);
            for (var i = 0; i < batch.Count; i++)
            {
                order.Add((int)batch.GetValues(i).Slots[0].Number);
            }
        }

        Assert.True(cursor.IsComplete);
        Assert.Equal(Enumerable.Range(0, n), order.Order());
        var maxDisplacement = order.Select((value, position) => Math.Abs(value - position)).Max();
        Assert.True(maxDisplacement < n / 20, $"an entry was taught {maxDisplacement} places away from its arrival position");
    }

    [Fact]
    public void LearnedEntry_IsNotInPushWindow_ButIsTaught()
    {
        var t = TestTables.Create("type integer size 10 expire 1m store gpc0", _time);
        t.Increment(t.Key("1"), StickDataType.Gpc0);
        t.ApplyRemote(TestTables.Update(t.Schema, t.Key("2"), v => v.Slots[0].Number = 7));
        t.ApplyRemote(TestTables.Update(t.Schema, t.Key("1"), v => v.Slots[0].Number = 8));
        uint after = 0;
        Assert.Empty(Drain(t, ref after));

        var batch = new UpdateBatch(t.Schema, 1);
        var cursor = default(TeachCursor);
        var taught = new List<(ulong, bool, uint)>();
        while (!cursor.IsComplete)
        {
            t.CollectAll(ref cursor, batch);
            for (var i = 0; i < batch.Count; i++)
            {
                taught.Add((batch.GetValues(i).Slots[0].Number, batch.IsLearned(i), batch.GetExpireMs(i)));
            }
        }

        Assert.Equal([(7UL, true, 60000u), (8UL, true, 60000u)], taught.OrderBy(x => x.Item1).ToList());
    }

    [Fact]
    public void LocalChangeToLearnedEntry_IsPushedToEveryone_UnlikeHaproxy300And320()
    {
        // HAProxy 3.0.0 and 3.2.0 keep a learned entry filed at +2^31 when it is then changed
        // locally, so that local change never reaches the other peers. Ours gets a new local id.
        var t = TestTables.Create("type integer size 10 expire 1m store gpc0", _time);
        t.ApplyRemote(TestTables.Update(t.Schema, t.Key("5"), v => v.Slots[0].Number = 7));
        var before = t.NewestLocalUpdateId;
        t.Increment(t.Key("5"), StickDataType.Gpc0);
        uint after = before;
        var got = Drain(t, ref after);
        Assert.Equal([(before + 1, "5")], got);
        Assert.Equal(8, t.Get("5", StickDataType.Gpc0));
        Assert.True(t.TryGetSnapshot(t.Key("5"), out var s));
        Assert.False(s.IsLearned);
    }

    [Fact]
    public void ApplyRemote_DuringLesson_DoesNotOverwriteNewerLocalWrite()
    {
        var t = TestTables.Create("type integer size 10 expire 1m store gpc0", _time);
        t.Increment(t.Key("1"), StickDataType.Gpc0);                // before the lesson
        var mark = t.LocalChangeMark;
        t.Set(t.Key("2"), [new DataAssignment(StickDataType.Gpc0, 0, 50)]); // during the lesson
        var lesson = ApplyOptions.ForLesson(mark);
        Assert.Equal(ApplyResult.Applied, t.ApplyRemote(TestTables.Update(t.Schema, t.Key("1"), v => v.Slots[0].Number = 10), lesson));
        Assert.Equal(ApplyResult.IgnoredLocalNewer, t.ApplyRemote(TestTables.Update(t.Schema, t.Key("2"), v => v.Slots[0].Number = 20), lesson));
        Assert.Equal(10, t.Get("1", StickDataType.Gpc0));
        Assert.Equal(50, t.Get("2", StickDataType.Gpc0));
        Assert.True(t.HasLocalChangeSince(t.Key("2"), mark));
        Assert.False(t.HasLocalChangeSince(t.Key("1"), mark));
        uint after = 0;
        Assert.Equal(["2"], Drain(t, ref after).Select(g => g.Key));
    }

    [Fact]
    public void TryFillValues_RateAge_IsNowMinusTick()
    {
        var t = TestTables.Create("type ip size 10 expire 1m store http_req_rate(10s)", _time);
        t.Increment(t.Key("10.0.0.1"), StickDataType.HttpReqRate, 0, 3);
        _time.Advance(TimeSpan.FromMilliseconds(1234));
        var values = new EntryValues(t.Schema);
        Assert.True(t.TryFillValues(t.Key("10.0.0.1"), values, out var exp));
        var w = values.Of(StickDataType.HttpReqRate)[0];
        Assert.InRange(w.AgeMs, 1234u, 1235u); // tick has bit 0 cleared
        Assert.Equal(3u, w.Current);
        Assert.Equal(58766u, exp);
    }
}
