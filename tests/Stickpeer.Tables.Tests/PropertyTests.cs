// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using CsCheck;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Replication;

namespace Stickpeer.Tables.Tests;

public class PropertyTests
{
    // An operation: kind (0 increment, 1 remote apply, 2 advance time, 3 collect), key, amount.
    private static readonly Gen<(int Kind, int Key, int Amount)[]> s_ops =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 30], Gen.Int[1, 4000]).Array[1, 150];

    [Fact]
    public void Size_IsNeverExceeded()
    {
        s_ops.Select(Gen.Bool).Sample((ops, noPurge) =>
        {
            var time = new FakeTimeProvider();
            var t = TestTables.Create("type integer size 7 expire 5s store gpc0" + (noPurge ? " nopurge" : string.Empty), time, shards: 4);
            foreach (var (kind, key, amount) in ops)
            {
                Step(t, time, kind, key, amount);
                if (t.Count > t.Size || t.Enumerate().Count() > t.Size)
                {
                    return false;
                }
            }

            return true;
        }, iter: 200);
    }

    [Fact]
    public void ExpiredEntry_IsNeverReturned()
    {
        s_ops.Sample(ops =>
        {
            var time = new FakeTimeProvider();
            var t = TestTables.Create("type integer size 1000 expire 5s store gpc0", time, shards: 2);
            var lastTouch = new Dictionary<int, DateTimeOffset>();
            foreach (var (kind, key, amount) in ops)
            {
                if (Step(t, time, kind, key, amount))
                {
                    lastTouch[key] = time.GetUtcNow();
                }

                var now = time.GetUtcNow();
                for (var k = 0; k <= 30; k++)
                {
                    var alive = lastTouch.TryGetValue(k, out var at) && now - at < TimeSpan.FromSeconds(5);
                    if (t.Contains(t.Key(k.ToString())) != alive)
                    {
                        return false;
                    }
                }

                if (t.Enumerate().Count() != lastTouch.Count(kv => now - kv.Value < TimeSpan.FromSeconds(5)))
                {
                    return false;
                }
            }

            return true;
        }, iter: 200);
    }

    [Fact]
    public void UpdateLog_NeverLosesTheLatestChangeOfAKey()
    {
        CheckUpdateLog(0);
    }

    [Fact]
    public void UpdateLog_IdsWrapPast32Bits_WithoutLosingChanges()
    {
        CheckUpdateLog(uint.MaxValue - 40);
    }

    private static void CheckUpdateLog(uint initial)
    {
        s_ops.Select(Gen.Int[1, 9]).Sample((ops, batchSize) =>
        {
            var time = new FakeTimeProvider();
            var t = TestTables.Create("type integer size 1000 store gpc0", time, shards: 4, initialUpdateId: initial);
            var batch = new UpdateBatch(t.Schema, batchSize);
            var cursor = initial;
            var pushed = new List<(uint Id, int Key)>();
            var latestLocal = new Dictionary<int, uint>();
            void Collect()
            {
                t.CollectLocalChanges(cursor, batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    pushed.Add((batch.GetUpdateId(i), (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(batch.GetKey(i))));
                }

                cursor = batch.NextAfterId;
            }

            foreach (var (kind, key, amount) in ops)
            {
                if (kind == 3)
                {
                    Collect();
                    continue;
                }

                Step(t, time, kind, key, amount);
                if (kind == 0)
                {
                    latestLocal[key] = t.NewestLocalUpdateId;
                }
                else if (kind == 1)
                {
                    latestLocal.Remove(key);
                }
            }

            do
            {
                Collect();
            }
            while (batch.MayHaveMore);

            // Every key whose last change was local was pushed at its latest id, and ids only grow (modulo 2^32).
            var ordered = pushed.Select(p => p.Id - initial).ToList();
            return latestLocal.All(kv => pushed.Contains((kv.Value, kv.Key)))
                && ordered.SequenceEqual(ordered.Order());
        }, iter: 200);
    }

    /// <summary>Runs one operation; true when the key was touched (created or refreshed).</summary>
    private static bool Step(StickTable t, FakeTimeProvider time, int kind, int key, int amount)
    {
        var k = t.Key(key.ToString());
        switch (kind)
        {
            case 0:
                var s = t.Increment(k, StickDataType.Gpc0, 0, amount);
                return s is LocalUpdateStatus.Created or LocalUpdateStatus.Updated;
            case 1:
                var u = TestTables.Update(t.Schema, k, v => v.Slots[0].Number = (ulong)amount);
                var r = t.ApplyRemote(u);
                return r is ApplyResult.Applied or ApplyResult.Created;
            case 2:
                time.Advance(TimeSpan.FromMilliseconds(amount));
                return false;
            default:
                return false;
        }
    }
}
