// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;

namespace Stickpeer.Protocol.Tests.Wire;

/// <summary>Every valid input, split at every offset and one byte per segment, parses the same.</summary>
public sealed class FragmentationTests
{
    private static readonly byte[] s_stream = Vectors.Stream.SelectMany(m => m).ToArray();

    [Fact]
    public void Stream_WholeBuffer_DecodesEveryVector()
    {
        var lines = Transcript.Decode(new ReadOnlySequence<byte>(s_stream));
        Assert.Equal(Vectors.Stream.Length, lines.Count);
        Assert.Contains(lines, l => l.Contains("server_key=srv1", StringComparison.Ordinal));
    }

    [Fact]
    public void Stream_EverySplitAndOneBytePerSegment_DecodesIdentically()
    {
        var expected = Transcript.Decode(new ReadOnlySequence<byte>(s_stream));
        foreach (var (name, seq) in FragmentedSequence.AllVariants(s_stream))
        {
            var actual = Transcript.Decode(seq);
            Assert.True(expected.SequenceEqual(actual), name);
        }
    }

    [Fact]
    public void Stream_ThreeWaySplits_DecodeIdentically()
    {
        var expected = Transcript.Decode(new ReadOnlySequence<byte>(s_stream));
        for (var a = 0; a < s_stream.Length; a += 7)
        {
            for (var b = a; b < s_stream.Length; b += 5)
            {
                Assert.Equal(expected, Transcript.Decode(FragmentedSequence.Create(s_stream, a, b)));
            }
        }
    }

    [Fact]
    public void Message_EveryStrictPrefix_ConsumesNothing()
    {
        foreach (var message in Vectors.Stream)
        {
            for (var i = 0; i < message.Length; i++)
            {
                foreach (var seq in new[] { new ReadOnlySequence<byte>(message, 0, i), FragmentedSequence.OneBytePerSegment(message.AsSpan(0, i)) })
                {
                    var status = PeerFrameScanner.TryRead(seq, PeerProtocolLimits.DefaultMaxPayload, out var frame, out var consumed, out var examined);
                    Assert.Equal(OperationStatus.NeedMoreData, status);
                    Assert.Equal(seq.Start, consumed);
                    Assert.Equal(seq.End, examined);
                    Assert.Equal(default, frame.Type);
                }
            }
        }
    }

    [Fact]
    public void Stream_EveryPrefix_ConsumesOnlyCompleteMessages()
    {
        var boundaries = new HashSet<long> { 0 };
        long offset = 0;
        foreach (var m in Vectors.Stream)
        {
            offset += m.Length;
            boundaries.Add(offset);
        }

        for (var i = 0; i <= s_stream.Length; i++)
        {
            var t = new Transcript();
            var consumed = t.Feed(FragmentedSequence.SplitAt(s_stream.AsSpan(0, i), i / 2));
            Assert.Contains(consumed, boundaries);
            Assert.True(consumed <= i);
            Assert.True(boundaries.Where(b => b <= i).Max() == consumed, $"prefix {i}");
        }
    }

    [Fact]
    public void Frame_PayloadAcrossSegments_IsTheSameBytes()
    {
        var seq = FragmentedSequence.OneBytePerSegment(Vectors.V11Update);
        Assert.Equal(OperationStatus.Done, PeerFrameScanner.TryRead(seq, out var frame, out var consumed, out _));
        Assert.Equal(seq.End, consumed);
        Assert.Equal(Vectors.V11Update[3..], frame.Payload.ToArray());
        Assert.Equal(Vectors.V11Update.Length, frame.WireLength);
    }

    [Fact]
    public void SpanScanner_Stream_FindsSameFramesAsSequenceScanner()
    {
        ReadOnlySpan<byte> span = s_stream;
        var seq = new ReadOnlySequence<byte>(s_stream);
        var n = 0;
        while (PeerFrameScanner.TryRead(span, PeerProtocolLimits.DefaultMaxPayload, out var spanFrame, out var used) == OperationStatus.Done)
        {
            Assert.Equal(OperationStatus.Done, PeerFrameScanner.TryRead(seq, out var frame, out var consumed, out _));
            Assert.Equal((frame.Class, frame.Type), (spanFrame.Class, spanFrame.Type));
            Assert.Equal(frame.Payload.ToArray(), spanFrame.Payload.ToArray());
            Assert.Equal(frame.WireLength, used);
            span = span[used..];
            seq = seq.Slice(consumed);
            n++;
        }

        Assert.Equal(Vectors.Stream.Length, n);
        Assert.True(span.IsEmpty);
    }

    [Fact]
    public void SpanScanner_EveryStrictPrefix_ConsumesNothing()
    {
        foreach (var message in Vectors.Stream)
        {
            for (var i = 0; i < message.Length; i++)
            {
                Assert.Equal(OperationStatus.NeedMoreData, PeerFrameScanner.TryRead(message.AsSpan(0, i), 100, out _, out var used));
                Assert.Equal(0, used);
            }
        }
    }
}
