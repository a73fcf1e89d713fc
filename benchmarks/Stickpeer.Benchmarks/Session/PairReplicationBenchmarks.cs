// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Benchmarks.Session;

/// <summary>
/// Node-to-node replication without sockets (the production host over the in-memory transport, <see cref="PairReplication"/>): a full resync (lesson) of a whole table from
/// node a to a freshly started node b, and steady incremental propagation of local changes.
/// Reference point: two HAProxy 2.6 processes do about 1.2–1.5 M entries/s for a full resync.
/// Run: <c>dotnet run -c Release --project benchmarks/Stickpeer.Benchmarks -- --filter "*PairReplication*" --inProcess --strategy Monitoring --warmupCount 1 --iterationCount 3</c>.
/// </summary>
[MemoryDiagnoser]
public class PairReplicationBenchmarks
{
    private const int UpdatesPerInvoke = 10_000;
    private StickTable _source = null!;
    private PairReplication _pair = null!;
    private int _next;

    [Params(1_000_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _source = NewTable(Entries);
        Span<byte> key = stackalloc byte[4];
        for (var i = 0; i < Entries; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(key, (uint)i);
            _source.Increment(key, StickDataType.Gpc0, 0, 1 + (i % 7));
        }
    }

    [IterationSetup(Target = nameof(FullResync))]
    public void NewLearner() => _pair = new PairReplication(_source, NewTable(Entries));

    /// <summary>From the learner's hello to its lesson being complete (all entries applied).</summary>
    [Benchmark]
    public long FullResync()
    {
        _pair.Pump(() => _pair.NodeB.Coordinator.State == SyncState.Finished);
        if (_pair.B.Table.Count != Entries)
        {
            throw new InvalidOperationException($"lesson incomplete: {_pair.B.Table.Count} entries, {_pair.NodeB.Coordinator.State}");
        }

        Console.WriteLine($"// full resync: {Entries} entries, {_pair.BytesAtoB} bytes a->b ({(double)_pair.BytesAtoB / Entries:F2} bytes/entry), {_pair.BytesBtoA} bytes b->a");
        return _pair.BytesAtoB;
    }

    [GlobalSetup(Target = nameof(IncrementalPropagation))]
    public void SetupIncremental()
    {
        Setup();
        _pair = new PairReplication(_source, NewTable(Entries));
        _pair.Pump();
    }

    /// <summary>Local increments on node a, pushed to and applied on node b (per update).</summary>
    [Benchmark(OperationsPerInvoke = UpdatesPerInvoke)]
    public long IncrementalPropagation()
    {
        Span<byte> key = stackalloc byte[4];
        var before = _pair.BytesAtoB;
        for (var i = 0; i < UpdatesPerInvoke; i++)
        {
            _next = (_next + 7919) % Entries;
            BinaryPrimitives.WriteUInt32BigEndian(key, (uint)_next);
            _source.Increment(key, StickDataType.Gpc0);
            if ((i & 255) == 255)
            {
                _pair.Pump();
            }
        }

        _pair.Pump();
        return _pair.BytesAtoB - before;
    }

    private static StickTable NewTable(int entries) =>
        new("bench", PairReplication.Schema, entries * 2L, options: new StickTableOptions { ShardCount = 16 });
}
