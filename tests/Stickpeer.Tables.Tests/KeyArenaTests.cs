// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using CsCheck;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Tables.Tests;

/// <summary>
/// Long string keys live in a per-shard arena at their real length (TableShard.Keys.cs): keys must
/// survive any mix of inserts, removals, expiry and arena compactions, and the arena must stay
/// bounded by the live keys.
/// </summary>
public class KeyArenaTests
{
    // An operation: kind (0-5 set, 6-8 remove, 9 advance time), key number, key length. Up to 4 000
    // operations on 3 000 keys in one shard fill several 16 KiB arena chunks, so removals and expiry compact it.
    private static readonly Gen<(int Kind, int Key, int Length)[]> s_ops =
        Gen.Select(Gen.Int[0, 9], Gen.Int[0, 3000], Gen.Int[0, 40]).Array[1, 6000];

    private static string KeyText(int key, int length)
    {
        // A length of its own per key number and call, up to past the declared 32 (truncated to 31 then).
        var text = new StringBuilder().Append(key).Append('-');
        while (text.Length < length)
        {
            text.Append((char)('a' + ((key + text.Length) % 26)));
        }

        return text.ToString();
    }

    [Fact]
    public void Keys_MatchAModel_ThroughRemovalsExpiryAndCompaction()
    {
        s_ops.Sample(ops =>
        {
            var time = new FakeTimeProvider();
            var t = TestTables.Create("type string len 32 size 10000 expire 5s store gpc0", time, shards: 1);
            var model = new Dictionary<string, (long Value, DateTimeOffset At)>(StringComparer.Ordinal);
            var n = 0;
            foreach (var (kind, key, length) in ops)
            {
                var text = KeyText(key, length);
                var k = t.Key(text);
                var normalized = Encoding.ASCII.GetString(k);
                switch (kind)
                {
                    case < 6:
                        t.Set(k, [new DataAssignment(StickDataType.Gpc0, 0, ++n)]);
                        model[normalized] = (n, time.GetUtcNow());
                        break;
                    case < 9:
                        t.Remove(k);
                        model.Remove(normalized);
                        break;
                    default:
                        time.Advance(TimeSpan.FromMilliseconds(length * 20));
                        var now = time.GetUtcNow();
                        foreach (var stale in model.Where(kv => now - kv.Value.At >= TimeSpan.FromSeconds(5)).Select(kv => kv.Key).ToList())
                        {
                            model.Remove(stale);
                        }

                        break;
                }
            }

            var live = t.Enumerate().ToDictionary(e => Encoding.ASCII.GetString(e.Key), e => e, StringComparer.Ordinal);
            return live.Count == model.Count
                && model.All(kv => live.ContainsKey(kv.Key) && t.TryGetValue(Encoding.ASCII.GetBytes(kv.Key), StickDataType.Gpc0, 0, out var v) && v == kv.Value.Value);
        }, iter: 40);
    }

    [Fact]
    public void Arena_StaysWithinTwiceTheLiveKeys_UnderChurn()
    {
        var t = TestTables.Create("type string len 32 size 100000 store gpc0", shards: 1);
        var shard = t.ShardAt(0);
        const int Live = 20_000;
        for (var round = 0; round < 10; round++)
        {
            for (var i = 0; i < Live; i++)
            {
                t.Set(t.Key($"round{round}-key{i:D8}-padding"), [new DataAssignment(StickDataType.Gpc0, 0, 1)]);
            }

            for (var i = 0; i < Live; i++)
            {
                Assert.Equal(RemoveResult.Removed, t.Remove(t.Key($"round{round}-key{i:D8}-padding")));
            }
        }

        // Every round wrote 20 000 keys of 29 bytes (580 000 bytes) and removed them again.
        var keyBytes = Live * 29L;
        Assert.InRange(shard.ArenaCapacityBytes, 1, (2 * keyBytes) + (1 << 15));
        for (var i = 0; i < Live; i++)
        {
            t.Set(t.Key($"last-key{i:D8}-padding-abc"), [new DataAssignment(StickDataType.Gpc0, 0, 1)]);
        }

        Assert.Equal(Live, t.Count);
        Assert.All(Enumerable.Range(0, Live), i => Assert.True(t.Contains(t.Key($"last-key{i:D8}-padding-abc"))));
    }

    [Fact]
    public void ShortDeclaredStrings_AndFixedKeys_KeepTheirColumn()
    {
        Assert.Equal(0, Arena("type string len 16 size 100 store gpc0", "abc"));
        Assert.Equal(0, Arena("type ip size 100 store gpc0", "10.0.0.1"));
        Assert.True(Arena("type string len 32 size 100 store gpc0", "abc") > 0);

        static long Arena(string declaration, string key)
        {
            var t = TestTables.Create(declaration, shards: 1);
            t.Set(t.Key(key), [new DataAssignment(StickDataType.Gpc0, 0, 1)]);
            return t.ShardAt(0).ArenaCapacityBytes;
        }
    }
}
