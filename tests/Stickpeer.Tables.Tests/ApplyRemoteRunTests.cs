// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using CsCheck;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Declaration;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Tables.Tests;

/// <summary>
/// <see cref="StickTable.ApplyRemoteRun"/> must be <see cref="StickTable.ApplyRemote(DecodedUpdate, ApplyOptions)"/>
/// applied to each update in order: same results, same entries, same observer calls, same push window.
/// </summary>
public class ApplyRemoteRunTests
{
    // An operation: kind (0 local increment, 1 remote run, 2 advance time), key, amount, run length, preserve mark offset.
    private static readonly Gen<(int Kind, int Key, int Amount, int Run, int Mark)[]> s_ops =
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 40], Gen.Int[1, 4000], Gen.Int[1, StickTable.MaxRemoteRun], Gen.Int[-1, 3]).Array[1, 60];

    [Fact]
    public void Run_IsTheSameAsEachUpdateInOrder()
    {
        s_ops.Select(Gen.Bool).Sample((ops, noPurge) =>
        {
            var time = new FakeTimeProvider();
            var declaration = "type string len 16 size 30 expire 5s store gpc0,http_req_rate(1s)" + (noPurge ? " nopurge" : string.Empty);
            var (one, oneLog) = Create(declaration, time);
            var (run, runLog) = Create(declaration, time);
            var rng = new Random(ops.Length);
            foreach (var (kind, key, amount, length, markOffset) in ops)
            {
                switch (kind)
                {
                    case 0:
                        one.Increment(one.Key("k" + key), StickDataType.Gpc0, 0, amount);
                        run.Increment(run.Key("k" + key), StickDataType.Gpc0, 0, amount);
                        break;
                    case 1:
                        // A run with repeated keys (the same key twice in a run must apply in order) and
                        // a preserve mark near the present (some local changes newer, some older).
                        var updates = new DecodedUpdate[length];
                        for (var i = 0; i < length; i++)
                        {
                            var k = one.Key("k" + ((key + rng.Next(0, 12)) % 41));
                            var value = (ulong)(amount + i);
                            updates[i] = TestTables.Update(one.Schema, k, v =>
                            {
                                v.Slots[0].Number = value;
                                v.Slots[1].AgeMs = (uint)(i * 10);
                                v.Slots[1].Current = (uint)i;
                            }, i % 3 == 0 ? (uint)(amount * 2) : null);
                        }

                        long? mark = markOffset < 0 ? null : Math.Max(0, one.LocalChangeMark - markOffset);
                        var options = new ApplyOptions { PreserveLocalChangesAfter = mark };
                        var expected = updates.Select(u => one.ApplyRemote(u, options)).ToArray();
                        var actual = new ApplyResult[length];
                        run.ApplyRemoteRun(updates, options, actual);
                        if (!expected.SequenceEqual(actual))
                        {
                            return false;
                        }

                        break;
                    default:
                        time.Advance(TimeSpan.FromMilliseconds(amount));
                        break;
                }

                if (Dump(one) != Dump(run) || !oneLog.SequenceEqual(runLog))
                {
                    return false;
                }
            }

            return true;
        }, iter: 150);
    }

    [Fact]
    public void Run_RefusesBadKeysLikeApplyRemote_AndAppliesTheRest()
    {
        var t = TestTables.Create("type ip size 10 store gpc0");
        var good = TestTables.Update(t.Schema, t.Key("10.0.0.1"), v => v.Slots[0].Number = 7);
        var bad = TestTables.Update(t.Schema, [1, 2, 3], v => v.Slots[0].Number = 8);
        var other = TestTables.Create("type integer size 10 store gpc0");
        var mismatch = TestTables.Update(other.Schema, other.Key("5"), v => v.Slots[0].Number = 9);
        var results = new ApplyResult[3];

        t.ApplyRemoteRun([bad, good, mismatch], default, results);

        Assert.Equal([ApplyResult.InvalidKey, ApplyResult.Created, ApplyResult.KeyTypeMismatch], results);
        Assert.Equal(7, t.Get("10.0.0.1", StickDataType.Gpc0));
        Assert.Equal(1, t.Count);
    }

    [Fact]
    public void Run_LongerThanMax_IsRefused()
    {
        var t = TestTables.Create("type integer size 100 store gpc0");
        var updates = Enumerable.Range(0, StickTable.MaxRemoteRun + 1).Select(i => TestTables.Update(t.Schema, t.Key(i.ToString()), _ => { })).ToArray();

        Assert.Throws<ArgumentOutOfRangeException>(() => t.ApplyRemoteRun(updates, default, new ApplyResult[updates.Length]));
        Assert.Equal(0, t.Count);
    }

    private static (StickTable Table, List<string> Log) Create(string declaration, FakeTimeProvider time)
    {
        // The same hash seed: which entry a full table evicts depends on the shards keys fall in.
        var parsed = StickTableDeclaration.Parse(declaration.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(parsed.IsSuccess, parsed.Error);
        var table = StickTable.Create(parsed.Declaration, "t", "t", new StickTableOptions { TimeProvider = time, ShardCount = 4, HashSeed = 42 });
        var log = new List<string>();
        table.Observer = new Recorder(log);
        return (table, log);
    }

    private static string Dump(StickTable t)
    {
        var lines = t.Enumerate().Select(e => string.Join(
            ' ',
            Convert.ToHexString(e.Key),
            e.HasExpiry ? e.ExpireMs.ToString() : "-",
            e.IsLearned ? "learned" : "local",
            e.LocalUpdateId?.ToString() ?? "-",
            string.Join(',', e.Values.Slots.ToArray().Select(s => $"{s.Number}/{s.AgeMs}/{s.Current}/{s.Previous}"))));
        return string.Join('\n', lines.Order(StringComparer.Ordinal));
    }

    private sealed class Recorder(List<string> log) : IStickTableObserver
    {
        public void OnEntryChanged(StickTable table, ReadOnlySpan<byte> key, EntryValues values, uint expireMs) =>
            log.Add($"set {Convert.ToHexString(key)} {values.Slots[0].Number} {expireMs}");

        public void OnEntryRemoved(StickTable table, ReadOnlySpan<byte> key) => log.Add($"del {Convert.ToHexString(key)}");
    }
}
