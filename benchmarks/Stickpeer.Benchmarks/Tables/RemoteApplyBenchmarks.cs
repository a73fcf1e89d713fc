// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using BenchmarkDotNet.Attributes;
using Stickpeer.Benchmarks.Session;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Benchmarks.Tables;

/// <summary>
/// The learner's apply of a full resync: <see cref="Entries"/> string-keyed updates (the
/// e2e declaration's shape) decoded from one wire stream and applied to a fresh table, one
/// <see cref="StickTable.ApplyRemote(DecodedUpdate, ApplyOptions)"/> per update against
/// <see cref="StickTable.ApplyRemoteRun"/> over runs of 64 (keys hashed and buckets loaded ahead).
/// Both decode the same way (a ring of 64 buffers), so the difference is the apply.
/// Run: <c>dotnet run -c Release --project benchmarks/Stickpeer.Benchmarks -- --filter "*RemoteApply*" --inProcess --warmupCount 1 --iterationCount 5</c>.
/// </summary>
[MemoryDiagnoser]
public class RemoteApplyBenchmarks
{
    private const int Run = StickTable.MaxRemoteRun;
    private ReadOnlyMemory<byte> _wire;
    private DecodedUpdate[] _ring = null!;
    private StickTable _target = null!;

    [Params(100_000, 1_000_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var schema = PairWorkload.StringSchema;
        var stream = new ArrayBufferWriter<byte>(Entries * 48);
        PairWorkload.WriteLessonUpdates(stream, Entries);

        _wire = stream.WrittenMemory;
        _ring = new DecodedUpdate[Run];
        for (var i = 0; i < Run; i++)
        {
            _ring[i] = new DecodedUpdate(schema);
        }
    }

    [IterationSetup]
    public void NewTarget() => _target = PairWorkload.NewTable(PairWorkload.StringSchema, Entries);

    /// <summary>Before: one update at a time (hash, lock, find, insert).</summary>
    [Benchmark(Baseline = true)]
    public long PerUpdate() => Apply(runs: false);

    /// <summary>After: runs of 64 (hash all, load buckets and chain heads, then apply in order).</summary>
    [Benchmark]
    public long Runs() => Apply(runs: true);

    private long Apply(bool runs)
    {
        var rx = new ServerKeyDecoderCache();
        var span = _wire.Span;
        Span<ApplyResult> results = stackalloc ApplyResult[Run];
        var options = ApplyOptions.ForLesson(0);
        var n = 0;
        while (!span.IsEmpty)
        {
            PeerFrameScanner.TryRead(span, PeerProtocolLimits.DefaultMaxPayload, out var frame, out var used);
            UpdateMessageReader.Read(frame.Payload, (StickTableMessageType)frame.Type, 0, rx, _ring[n]);
            span = span[used..];
            if (!runs)
            {
                _target.ApplyRemote(_ring[n], options);
                continue;
            }

            if (++n == Run)
            {
                _target.ApplyRemoteRun(_ring, options, results);
                n = 0;
            }
        }

        if (n > 0)
        {
            _target.ApplyRemoteRun(_ring.AsSpan(0, n), options, results);
        }

        return _target.Count == Entries ? Entries : throw new InvalidOperationException($"{_target.Count} of {Entries} applied");
    }
}
