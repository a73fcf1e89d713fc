// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Benchmarks.Session;

/// <summary>
/// <c>pair-profile [entries] [int|string] [rounds] [phase prefix]</c>: a Stopwatch breakdown of the full-resync
/// path, phase by phase (teach walk, encode, frame scan + decode, apply into a fresh table, the
/// whole in-memory pair), with time and bytes allocated per entry. Not a BDN benchmark: it is
/// for finding where the time goes; quote <see cref="PairReplicationBenchmarks"/> numbers.
/// </summary>
internal static class PairProfile
{
    public static void Run(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var kind = args.Length > 1 ? args[1] : "int";
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        s_only = args.Length > 3 ? args[3] : null;
        var schema = kind == "string" ? PairWorkload.StringSchema : PairReplication.Schema;
        var source = PairWorkload.NewTable(schema, n);
        PairWorkload.Fill(source, n);
        Console.WriteLine($"entries {n:N0}, schema {schema}");
        for (var r = 0; r < rounds; r++)
        {
            Measure("teach walk", n, () =>
            {
                var cursor = new StickTableReplica(source).StartTeach();
                var into = new DecodedUpdate(schema);
                var c = 0;
                while (cursor.TryReadNext(into))
                {
                    c++;
                }

                return c;
            });

            var stream = new ArrayBufferWriter<byte>(n * 40);
            Measure("teach + encode", n, () =>
            {
                stream.ResetWrittenCount();
                var cursor = new StickTableReplica(source).StartTeach();
                var into = new DecodedUpdate(schema);
                var tx = new ServerKeyEncoderCache();
                var c = 0;
                while (cursor.TryReadNext(into))
                {
                    PeerMessageWriter.WriteUpdate(stream, timed: true, into.UpdateId, into.ExpireMs, into.Key, into.Values, tx);
                    c++;
                }

                return c;
            });

            var bytes = stream.WrittenMemory;
            Measure("scan + decode", n, () =>
            {
                var into = new DecodedUpdate(schema);
                var rx = new ServerKeyDecoderCache();
                var span = bytes.Span;
                var c = 0;
                while (!span.IsEmpty)
                {
                    PeerFrameScanner.TryRead(span, PeerProtocolLimits.DefaultMaxPayload, out var frame, out var used);
                    UpdateMessageReader.Read(frame.Payload, (StickTableMessageType)frame.Type, 0, rx, into);
                    span = span[used..];
                    c++;
                }

                return c;
            });

            Measure("decode + apply (fresh table)", n, () =>
            {
                var target = PairWorkload.NewTable(schema, n);
                var into = new DecodedUpdate(schema);
                var rx = new ServerKeyDecoderCache();
                var span = bytes.Span;
                while (!span.IsEmpty)
                {
                    PeerFrameScanner.TryRead(span, PeerProtocolLimits.DefaultMaxPayload, out var frame, out var used);
                    UpdateMessageReader.Read(frame.Payload, (StickTableMessageType)frame.Type, 0, rx, into);
                    target.ApplyRemote(into, ApplyOptions.ForLesson(0));
                    span = span[used..];
                }

                return (int)target.Count;
            });

            Measure("pair incremental", n, () =>
            {
                var pair = new PairReplication(source, PairWorkload.NewTable(schema, n));
                pair.Pump();
                Span<byte> key = stackalloc byte[64];
                var next = 0;
                for (var i = 0; i < n; i++)
                {
                    next = (next + 7919) % n;
                    var k = schema.KeyType == StickKeyType.String
                        ? key[..System.Text.Encoding.ASCII.GetBytes(PairWorkload.KeyText(next), key)]
                        : key[..4];
                    if (schema.KeyType != StickKeyType.String)
                    {
                        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(k, (uint)next);
                    }

                    source.Increment(k, StickDataType.Gpc0);
                    if ((i & 255) == 255)
                    {
                        pair.Pump();
                    }
                }

                pair.Pump();
                s_wire = (pair.BytesAtoB, pair.BytesBtoA);
                return (int)pair.B.Table.Count;
            });

            Measure("pair full resync", n, () =>
            {
                var pair = new PairReplication(source, PairWorkload.NewTable(schema, n));
                pair.Pump(() => pair.NodeB.Coordinator.State == SyncState.Finished);
                s_wire = (pair.BytesAtoB, pair.BytesBtoA);
                return (int)pair.B.Table.Count;
            });
        }
    }

    private static string? s_only;

    // Bytes each way in the last pair phase (a phase that moves more bytes than it needs shows here).
    private static (long AtoB, long BtoA)? s_wire;

    private static void Measure(string name, int n, Func<int> body)
    {
        if (s_only is not null && !name.StartsWith(s_only, StringComparison.Ordinal) && !name.StartsWith("teach + encode", StringComparison.Ordinal))
        {
            return;
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var alloc = GC.GetTotalAllocatedBytes(precise: true);
        using var self = Process.GetCurrentProcess();
        var cpu0 = self.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        s_wire = null;
        var count = body();
        sw.Stop();
        self.Refresh();
        var cpu = (self.TotalProcessorTime - cpu0).TotalMilliseconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - alloc;
        var wire = s_wire is { } w ? string.Create(CultureInfo.InvariantCulture, $"  wire a->b {w.AtoB:N0} B, b->a {w.BtoA:N0} B") : string.Empty;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-30} {sw.Elapsed.TotalMilliseconds,8:F1} ms {sw.Elapsed.TotalMilliseconds * 1e6 / n,7:F1} ns/entry {n / sw.Elapsed.TotalSeconds / 1e6,6:F2} M/s  cpu {cpu * 1e6 / n,7:F1} ns/entry {(double)allocated / n,7:F1} B/entry  gen0 {GC.CollectionCount(0) - gen0} gen2 {GC.CollectionCount(2) - gen2}  ({count}){wire}"));
    }
}
