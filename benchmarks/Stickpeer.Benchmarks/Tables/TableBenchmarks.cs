// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using BenchmarkDotNet.Attributes;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Declaration;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Keys;
using Stickpeer.Tables.Replication;

namespace Stickpeer.Benchmarks.Tables;

/// <summary>
/// Hot paths of the table engine on a 100k-entry string table
/// (<c>type string len 32 size 2m expire 30m store gpc0,http_req_rate(10s),conn_cnt,server_id</c>).
/// </summary>
[MemoryDiagnoser]
public class TableBenchmarks
{
    private const int Entries = 100_000;
    private StickTable _table = null!;
    private StickTable _learned = null!;
    private byte[][] _keys = null!;
    private byte[] _hotKey = null!;
    private DecodedUpdate _update = null!;
    private UpdateBatch _batch = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var decl = StickTableDeclaration.Parse("type string len 32 size 2m expire 30m store gpc0,http_req_rate(10s),conn_cnt,server_id".Split(' ')).Declaration!;
        _table = StickTable.Create(decl, "st", "st");
        _keys = new byte[Entries][];
        for (var i = 0; i < Entries; i++)
        {
            _keys[i] = StickKeyText.TryParse(StickKeyType.String, 33, $"client-{i:D8}.example.org")!;
            _table.Increment(_keys[i], StickDataType.Gpc0);
        }

        _hotKey = _keys[42];
        _update = new DecodedUpdate(_table.Schema);
        _update.Values.Of(StickDataType.Gpc0)[0].Number = 7;
        _update.Values.Of(StickDataType.HttpReqRate)[0] = new WireValue { AgeMs = 1500, Current = 3, Previous = 9 };
        _batch = new UpdateBatch(_table.Schema, 256);
        _learned = StickTable.Create(decl, "st", "st");
        foreach (var key in _keys)
        {
            _update.SetKey(key);
            _learned.ApplyRemote(_update);
        }
    }

    /// <summary>Get-or-create + increment gpc0 on an existing key (single thread).</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public void IncrementExistingKey()
    {
        for (var i = 0; i < 1000; i++)
        {
            _table.Increment(_hotKey, StickDataType.Gpc0);
        }
    }

    /// <summary>Increment over many keys (cache misses included).</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public void IncrementSpreadKeys()
    {
        for (var i = 0; i < 1000; i++)
        {
            _table.Increment(_keys[_next++ % Entries], StickDataType.HttpReqRate);
        }
    }

    /// <summary>Read one value.</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public long Lookup()
    {
        long sum = 0;
        for (var i = 0; i < 1000; i++)
        {
            _table.TryGetValue(_keys[(_next++ * 7) % Entries], StickDataType.Gpc0, 0, out var v);
            sum += v;
        }

        return sum;
    }

    /// <summary>Apply a learned update to an existing key.</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public void ApplyRemoteUpdate()
    {
        for (var i = 0; i < 1000; i++)
        {
            _update.SetKey(_keys[(_next++ * 13) % Entries]);
            _table.ApplyRemote(_update);
        }
    }

    /// <summary>Walk the whole table for a teach (100k local entries, 256 per batch).</summary>
    [Benchmark]
    public int IterateForTeach()
    {
        var cursor = default(TeachCursor);
        var n = 0;
        while (!cursor.IsComplete)
        {
            n += _table.CollectAll(ref cursor, _batch);
        }

        return n;
    }

    /// <summary>Walk a table of learned entries for a teach (100k entries, 256 per batch): the walk's second part.</summary>
    [Benchmark]
    public int IterateLearnedForTeach()
    {
        var cursor = default(TeachCursor);
        var n = 0;
        while (!cursor.IsComplete)
        {
            n += _learned.CollectAll(ref cursor, _batch);
        }

        return n;
    }

    /// <summary>Collect 256 local changes from the update log.</summary>
    [Benchmark]
    public int CollectLocalChanges() => _table.CollectLocalChanges(_table.NewestLocalUpdateId - 5000, _batch);

    /// <summary>
    /// Collect a whole backlog of local changes, 256 at a time, as a push to a fresh peer (or the re-push
    /// after a lesson) does: every local change of the 100k-entry table, from the oldest.
    /// </summary>
    [Benchmark]
    public int CollectLocalChangesBacklog()
    {
        var after = unchecked(_table.NewestLocalUpdateId - Entries);
        var n = 0;
        while (_table.CollectLocalChanges(after, _batch) > 0)
        {
            n += _batch.Count;
            after = _batch.NextAfterId;
        }

        return n;
    }
}
