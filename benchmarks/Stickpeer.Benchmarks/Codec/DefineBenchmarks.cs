// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using BenchmarkDotNet.Attributes;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Benchmarks.Codec;

/// <summary>DEFINE encode and decode (decode allocates the schema by design).</summary>
[MemoryDiagnoser]
public class DefineBenchmarks
{
    private readonly ArrayBufferWriter<byte> _writer = new(256);
    private byte[] _payload = [];

    [GlobalSetup]
    public void Setup()
    {
        PeerMessageWriter.WriteDefine(_writer, 1, CodecFixtures.Wide);
        var seq = new ReadOnlySequence<byte>(_writer.WrittenMemory);
        PeerFrameScanner.TryRead(seq, out var frame, out _, out _);
        _payload = frame.Payload.ToArray();
    }

    [Benchmark]
    public int EncodeDefine()
    {
        _writer.ResetWrittenCount();
        PeerMessageWriter.WriteDefine(_writer, 1, CodecFixtures.Wide);
        return _writer.WrittenCount;
    }

    [Benchmark]
    public int DecodeDefine() => DefineMessage.Parse(_payload).Schema!.DataTypes.Length;
}
