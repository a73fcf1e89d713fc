// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using BenchmarkDotNet.Attributes;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Benchmarks.Codec;

/// <summary>One small UPDATE (ipv4 key, gpc0, http_req_rate): encode, decode, and scan + decode.</summary>
[MemoryDiagnoser]
public class SmallUpdateBenchmarks
{
    private readonly ArrayBufferWriter<byte> _writer = new(256);
    private readonly ServerKeyEncoderCache _tx = new();
    private readonly ServerKeyDecoderCache _rx = new();
    private readonly byte[] _key = CodecFixtures.Ipv4(42);
    private EntryValues _values = null!;
    private DecodedUpdate _into = null!;
    private byte[] _message = [];
    private byte[] _payload = [];
    private ReadOnlySequence<byte> _sequence;

    [GlobalSetup]
    public void Setup()
    {
        _values = new EntryValues(CodecFixtures.Small);
        CodecFixtures.FillSmall(_values, 42);
        _into = new DecodedUpdate(CodecFixtures.Small);
        PeerMessageWriter.WriteUpdate(_writer, false, 123456, 0, _key, _values, _tx);
        _message = _writer.WrittenSpan.ToArray();
        _payload = _message.AsSpan(3).ToArray();
        _sequence = new ReadOnlySequence<byte>(_message);
    }

    [Benchmark]
    public int EncodeSmallUpdate()
    {
        _writer.ResetWrittenCount();
        PeerMessageWriter.WriteUpdate(_writer, false, 123456, 0, _key, _values, _tx);
        return _writer.WrittenCount;
    }

    [Benchmark]
    public uint DecodeSmallUpdate()
    {
        UpdateMessageReader.Read(_payload, StickTableMessageType.Update, 0, _rx, _into);
        return _into.UpdateId;
    }

    [Benchmark]
    public uint ScanAndDecodeSmallUpdate()
    {
        PeerFrameScanner.TryRead(_sequence, out var frame, out _, out _);
        UpdateMessageReader.Read(frame.Payload, (StickTableMessageType)frame.Type, 0, _rx, _into);
        return _into.UpdateId;
    }
}
