// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Replication;

namespace Stickpeer.Tables.Tests;

public class ConcurrencyTests
{
    private const int Threads = 6;
    private const int OpsPerThread = 10_000;

    [Fact]
    public async Task ManyWriters_CountEveryIncrement()
    {
        var t = TestTables.Create("type integer size 100k store gpc0,http_req_cnt", shards: 8);
        var keys = Enumerable.Range(0, 500).Select(i => t.Key(i.ToString())).ToArray();
        var pushedIds = new List<uint>();
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(
            () =>
        {
            // Concurrent push-window reader and teacher: ids must come out increasing.
            var batch = new UpdateBatch(t.Schema, 64);
            uint cursor = 0;
            for (var round = 0; round < 5_000 && !stop.IsCancellationRequested; round++)
            {
                t.CollectLocalChanges(cursor, batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    pushedIds.Add(batch.GetUpdateId(i));
                }

                cursor = batch.NextAfterId;
                if (round % 16 == 0)
                {
                    var teach = default(TeachCursor);
                    t.CollectAll(ref teach, batch);
                }

                Thread.Yield();
            }
        },
            TestContext.Current.CancellationToken);
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, th =>
        {
            var rnd = new Random(th);
            for (var i = 0; i < OpsPerThread; i++)
            {
                var key = keys[rnd.Next(keys.Length)];
                Assert.NotEqual(LocalUpdateStatus.TableFull, t.Increment(key, StickDataType.Gpc0));
                if ((i & 7) == 0)
                {
                    t.TryGetValue(key, StickDataType.Gpc0, 0, out _);
                }
            }
        });
        await stop.CancelAsync();
        await reader.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        long sum = 0;
        foreach (var key in keys)
        {
            if (t.TryGetValue(key, StickDataType.Gpc0, 0, out var v))
            {
                sum += v;
            }
        }

        Assert.Equal((long)Threads * OpsPerThread, sum);
        Assert.Equal(pushedIds.Order().ToList(), pushedIds);
        Assert.Equal((uint)(Threads * OpsPerThread), t.NewestLocalUpdateId);
    }

    [Fact]
    public void ManyWriters_OnFullTable_NeverExceedSize()
    {
        var t = TestTables.Create("type integer size 1000 expire 10s store gpc0", shards: 8);
        long maxSeen = 0;
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, th =>
        {
            var rnd = new Random(th);
            for (var i = 0; i < OpsPerThread; i++)
            {
                var key = t.Key(rnd.Next(20_000).ToString());
                if ((i & 3) == 0)
                {
                    var u = TestTables.Update(t.Schema, key, v => v.Slots[0].Number = 1);
                    t.ApplyRemote(u);
                }
                else
                {
                    t.Increment(key, StickDataType.Gpc0);
                }

                var c = t.Count;
                long seen;
                while (c > (seen = Interlocked.Read(ref maxSeen)) && Interlocked.CompareExchange(ref maxSeen, c, seen) != seen)
                {
                }
            }
        });
        Assert.InRange(maxSeen, 1, t.Size);
        Assert.Equal(t.Count, t.Enumerate().LongCount());
        Assert.True(t.Count <= t.Size);
    }
}
