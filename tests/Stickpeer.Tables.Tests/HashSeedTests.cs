// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Replication;

namespace Stickpeer.Tables.Tests;

/// <summary>
/// <see cref="StickTableOptions.HashSeed"/>: a fixed seed makes key placement (shard, slot)
/// and walk order reproducible (the deterministic simulation relies on it); without one
/// every table draws its own random seed (protection against hash flooding).
/// </summary>
public class HashSeedTests
{
    private static readonly TableSchema s_schema = new("t", StickKeyType.String, 33, 60_000, [new(StickDataType.Gpc0, 1, 0)]);

    [Fact]
    public void HashSeed_SameSeed_SamePlacementAndWalkOrder()
    {
        var a = Filled(0xDEADBEEF12345678UL);
        var b = Filled(0xDEADBEEF12345678UL);

        Assert.Equal(Handles(a), Handles(b));
        Assert.Equal(Walk(a), Walk(b));
        Assert.Equal(a.Enumerate().Select(e => Encoding.ASCII.GetString(e.Key)), b.Enumerate().Select(e => Encoding.ASCII.GetString(e.Key)));
    }

    [Fact]
    public void HashSeed_DifferentSeeds_DifferentPlacementAndEnumerationOrder()
    {
        var a = Filled(1);
        var b = Filled(2);

        Assert.NotEqual(Handles(a), Handles(b));
        Assert.NotEqual(a.Enumerate().Select(e => Encoding.ASCII.GetString(e.Key)), b.Enumerate().Select(e => Encoding.ASCII.GetString(e.Key)));
    }

    [Fact]
    public void HashSeed_DoesNotChangeTheTeachOrderOfLocalChanges()
    {
        // A lesson teaches local changes in update-id order whatever the placement.
        Assert.Equal(Keys(), Walk(Filled(1)));
        Assert.Equal(Keys(), Walk(Filled(2)));
    }

    [Fact]
    public void HashSeed_Null_EachTableDrawsItsOwnSeed()
    {
        var a = Filled(null);
        var b = Filled(null);

        // 256 keys over 16 shards: equal placement of every key by chance is out of the question.
        Assert.NotEqual(Handles(a), Handles(b));
        Assert.Contains(Keys(), k => a.Hash(Encoding.ASCII.GetBytes(k)) != b.Hash(Encoding.ASCII.GetBytes(k)));
    }

    private static IEnumerable<string> Keys() => Enumerable.Range(0, 256).Select(i => "key-" + i);

    private static StickTable Filled(ulong? seed)
    {
        var t = new StickTable("t", s_schema, 1000, options: new StickTableOptions { TimeProvider = new FakeTimeProvider(), ShardCount = 16, HashSeed = seed });
        foreach (var k in Keys())
        {
            Assert.Equal(LocalUpdateStatus.Created, t.Increment(Encoding.ASCII.GetBytes(k), StickDataType.Gpc0));
        }

        return t;
    }

    private static List<ulong> Handles(StickTable t) =>
        [.. Keys().Select(k => t.TryGetSnapshot(Encoding.ASCII.GetBytes(k), out var s) ? s.Handle : 0UL)];

    private static List<string> Walk(StickTable t)
    {
        var keys = new List<string>();
        var batch = new UpdateBatch(t.Schema, 50);
        var cursor = default(TeachCursor);
        for (var i = 0; i < 100 && !cursor.IsComplete; i++)
        {
            t.CollectAll(ref cursor, batch);
            for (var j = 0; j < batch.Count; j++)
            {
                keys.Add(Encoding.ASCII.GetString(batch.GetKey(j)));
            }
        }

        Assert.Equal(256, keys.Count);
        return keys;
    }
}
