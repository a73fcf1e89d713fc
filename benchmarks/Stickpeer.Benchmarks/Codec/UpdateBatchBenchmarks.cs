// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using BenchmarkDotNet.Attributes;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Benchmarks.Codec;

/// <summary>
/// A batch of 10 000 small updates as a teacher would send them (explicit id first, then
/// implicit ids): encode into one buffer, and scan + decode the whole buffer.
/// Results are per batch; divide by 10 000 for per-message cost.
/// </summary>
[MemoryDiagnoser]
public class UpdateBatchBenchmarks
{
    private const int Count = 10_000;

    private readonly ServerKeyEncoderCache _tx = new();
    private readonly ServerKeyDecoderCache _rx = new();
    private readonly byte[][] _keys = new byte[Count][];
    private ArrayBufferWriter<byte> _writer = null!;
    private EntryValues _values = null!;
    private DecodedUpdate _into = null!;
    private ReadOnlySequence<byte> _batch;
    private byte[] _batchArray = [];

    [GlobalSetup]
    public void Setup()
    {
        _values = new EntryValues(CodecFixtures.Small);
        _into = new DecodedUpdate(CodecFixtures.Small);
        for (var i = 0; i < Count; i++)
        {
            _keys[i] = CodecFixtures.Ipv4((uint)i);
        }

        _writer = new ArrayBufferWriter<byte>(Count * 32);
        EncodeBatch();
        _batchArray = _writer.WrittenSpan.ToArray();
        _batch = new ReadOnlySequence<byte>(_batchArray);
    }

    [Benchmark]
    public int EncodeBatch()
    {
        _writer.ResetWrittenCount();
        for (var i = 0; i < Count; i++)
        {
            CodecFixtures.FillSmall(_values, (uint)i);
            PeerMessageWriter.WriteUpdate(_writer, false, i == 0 ? 1u : null, 0, _keys[i], _values, _tx);
        }

        return _writer.WrittenCount;
    }

    [Benchmark]
    public uint DecodeBatch()
    {
        var seq = _batch;
        uint last = 0;
        while (PeerFrameScanner.TryRead(seq, out var frame, out var consumed, out _) == OperationStatus.Done)
        {
            UpdateMessageReader.Read(frame.Payload, (StickTableMessageType)frame.Type, last, _rx, _into);
            last = _into.UpdateId;
            seq = seq.Slice(consumed);
        }

        return last;
    }

    [Benchmark]
    public uint DecodeBatchSpan()
    {
        ReadOnlySpan<byte> span = _batchArray;
        uint last = 0;
        while (PeerFrameScanner.TryRead(span, PeerProtocolLimits.DefaultMaxPayload, out var frame, out var consumed) == OperationStatus.Done)
        {
            UpdateMessageReader.Read(frame.Payload, (StickTableMessageType)frame.Type, last, _rx, _into);
            last = _into.UpdateId;
            span = span[consumed..];
        }

        return last;
    }
}
