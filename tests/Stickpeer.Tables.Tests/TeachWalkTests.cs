// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Replication;

namespace Stickpeer.Tables.Tests;

/// <summary>
/// <see cref="StickTable.CollectAll"/>: local changes in update-id order (as HAProxy teaches), then
/// learned entries with consecutive ids 2^31 above; every live entry once; changes during the walk.
/// </summary>
public class TeachWalkTests
{
    private readonly FakeTimeProvider _time = new();

    private static string K(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static List<(uint Id, string Key, bool Learned, ulong Value)> Walk(StickTable t, int capacity = 97, Action<int>? between = null)
    {
        var batch = new UpdateBatch(t.Schema, capacity);
        var cursor = default(TeachCursor);
        var all = new List<(uint, string, bool, ulong)>();
        for (var call = 0; call < 100_000 && !cursor.IsComplete; call++)
        {
            t.CollectAll(ref cursor, batch);
            for (var i = 0; i < batch.Count; i++)
            {
                all.Add((batch.GetUpdateId(i), Keys.StickKeyText.Format(t.KeyType, batch.GetKey(i)), batch.IsLearned(i), batch.GetValues(i).Slots[0].Number));
            }

            between?.Invoke(call);
        }

        Assert.True(cursor.IsComplete);
        return all;
    }

    [Fact]
    public void LocalChanges_AcrossShards_AreTaughtInIdOrderWithConsecutiveIds()
    {
        var t = TestTables.Create("type integer size 20000 expire 1m store gpc0", _time, shards: 16);
        for (var i = 0; i < 5000; i++)
        {
            t.Increment(t.Key(K(i)), StickDataType.Gpc0);
        }

        var taught = Walk(t);

        Assert.Equal(Enumerable.Range(0, 5000).Select(K), taught.Select(x => x.Key));
        Assert.Equal(Enumerable.Range(1, 5000).Select(i => (uint)i), taught.Select(x => x.Id));
        Assert.DoesNotContain(taught, x => x.Learned);
    }

    [Fact]
    public void KeysChangedAgain_AreTaughtOnceAtTheirLatestId_SkippingWideHoles()
    {
        // Key 0 is rewritten 5000 times between the others: a hole of ids wider than a walk window.
        var t = TestTables.Create("type integer size 100 expire 1m store gpc0", _time, shards: 4);
        t.Increment(t.Key("1"), StickDataType.Gpc0);
        for (var i = 0; i < 5000; i++)
        {
            t.Increment(t.Key("0"), StickDataType.Gpc0);
        }

        t.Increment(t.Key("2"), StickDataType.Gpc0);
        t.Increment(t.Key("1"), StickDataType.Gpc0);

        var taught = Walk(t, capacity: 2);

        Assert.Equal([(5001u, "0"), (5002u, "2"), (5003u, "1")], taught.Select(x => (x.Id, x.Key)).ToList());
        Assert.Equal(5000UL, taught[0].Value);
    }

    [Fact]
    public void LearnedEntries_FollowTheLocalOnes_WithConsecutiveIdsHalfTheSpaceAbove()
    {
        var t = TestTables.Create("type integer size 100 expire 1m store gpc0", _time, shards: 4);
        t.Increment(t.Key("1"), StickDataType.Gpc0);
        t.Increment(t.Key("2"), StickDataType.Gpc0);
        foreach (var k in new[] { "10", "11", "12" })
        {
            t.ApplyRemote(TestTables.Update(t.Schema, t.Key(k), v => v.Slots[0].Number = 7));
        }

        t.ApplyRemote(TestTables.Update(t.Schema, t.Key("2"), v => v.Slots[0].Number = 8)); // a local entry learned since

        var taught = Walk(t, capacity: 1);

        Assert.Equal([(1u, "1", false)], taught.Take(1).Select(x => (x.Id, x.Key, x.Learned)).ToList());
        var learned = taught.Skip(1).ToList();
        Assert.Equal(["10", "11", "12", "2"], learned.Select(x => x.Key).Order(StringComparer.Ordinal));
        Assert.All(learned, x => Assert.True(x.Learned));
        var top = t.NewestLocalUpdateId;
        Assert.Equal(Enumerable.Range(1, 4).Select(i => unchecked(top + 0x80000000u + (uint)i)), learned.Select(x => x.Id));
    }

    [Fact]
    public void IdsStartingNearTheWrap_AreTaughtInOrderAcrossIt()
    {
        var t = TestTables.Create("type integer size 100 expire 1m store gpc0", _time, shards: 4, initialUpdateId: uint.MaxValue - 2);
        for (var i = 0; i < 6; i++)
        {
            t.Increment(t.Key(K(i)), StickDataType.Gpc0);
        }

        var taught = Walk(t, capacity: 4);

        Assert.Equal([uint.MaxValue - 1, uint.MaxValue, 0u, 1u, 2u, 3u], taught.Select(x => x.Id).ToArray());
        Assert.Equal(Enumerable.Range(0, 6).Select(K), taught.Select(x => x.Key));
    }

    [Fact]
    public void ExpiredEntries_AreNotTaught()
    {
        var t = TestTables.Create("type integer size 100 expire 10s store gpc0", _time, shards: 4);
        t.Increment(t.Key("1"), StickDataType.Gpc0);
        t.ApplyRemote(TestTables.Update(t.Schema, t.Key("2"), v => v.Slots[0].Number = 7));
        _time.Advance(TimeSpan.FromSeconds(5));
        t.Increment(t.Key("3"), StickDataType.Gpc0);
        t.ApplyRemote(TestTables.Update(t.Schema, t.Key("4"), v => v.Slots[0].Number = 7));
        _time.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal(["3", "4"], Walk(t).Select(x => x.Key));
    }

    [Fact]
    public void ChangesDuringTheWalk_NewerLocalOnesWaitForThePushLearnedOnesAreTaughtIfNotPassed()
    {
        var t = TestTables.Create("type integer size 1000 expire 1m store gpc0", _time, shards: 4);
        for (var i = 0; i < 200; i++)
        {
            t.Increment(t.Key(K(i)), StickDataType.Gpc0);
        }

        var top = t.NewestLocalUpdateId;
        var taught = Walk(t, capacity: 10, between: call =>
        {
            if (call == 0)
            {
                t.Increment(t.Key("150"), StickDataType.Gpc0); // not reached yet: a newer id, pushed after the lesson
                t.Increment(t.Key("999"), StickDataType.Gpc0); // created during the walk: the same
                t.ApplyRemote(TestTables.Update(t.Schema, t.Key("160"), v => v.Slots[0].Number = 9)); // learned before reached
                t.ApplyRemote(TestTables.Update(t.Schema, t.Key("5"), v => v.Slots[0].Number = 9)); // learned after it was taught
            }
        });

        var keys = taught.Select(x => x.Key).ToList();
        Assert.DoesNotContain("150", keys);
        Assert.DoesNotContain("999", keys);
        Assert.Equal(keys.Count, keys.Distinct().Count() + 1); // "5" twice: taught local, then learned
        Assert.Equal(2, keys.Count(k => k == "5"));
        Assert.Contains(taught, x => x.Key == "160" && x.Learned && x.Value == 9);
        Assert.All(taught.Where(x => !x.Learned), x => Assert.True(x.Id <= top));
        Assert.Equal(taught.Where(x => !x.Learned).Select(x => x.Id).Order(), taught.Where(x => !x.Learned).Select(x => x.Id));
        Assert.Equal(198, taught.Count(x => !x.Learned)); // 150 and 160 left the local walk before it reached them
    }
}
