// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;

namespace Stickpeer.TestKit;

/// <summary>
/// Builds multi-segment <see cref="ReadOnlySequence{T}"/>s so parsers can be tested on
/// every way TCP/TLS might fragment their input.
/// </summary>
public static class FragmentedSequence
{
    /// <summary>Splits <paramref name="data"/> into segments at the given ascending offsets.</summary>
    public static ReadOnlySequence<byte> Create(ReadOnlySpan<byte> data, params int[] splitPoints)
    {
        ArgumentNullException.ThrowIfNull(splitPoints);
        var pieces = new List<byte[]>();
        var start = 0;
        foreach (var point in splitPoints)
        {
            if (point < start || point > data.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(splitPoints), "split points must be ascending and inside the data");
            }

            pieces.Add(data[start..point].ToArray());
            start = point;
        }

        pieces.Add(data[start..].ToArray());
        return FromSegments(pieces);
    }

    /// <summary>Two segments: <c>[0, offset)</c> and <c>[offset, end)</c>.</summary>
    public static ReadOnlySequence<byte> SplitAt(ReadOnlySpan<byte> data, int offset) => Create(data, offset);

    /// <summary>One segment per byte.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(ReadOnlySpan<byte> data)
    {
        var pieces = new List<byte[]>(data.Length);
        foreach (var b in data)
        {
            pieces.Add([b]);
        }

        return FromSegments(pieces);
    }

    /// <summary>Segments from arrays (empty arrays included, as real pipes may produce them).</summary>
    public static ReadOnlySequence<byte> FromSegments(IReadOnlyList<byte[]> pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        if (pieces.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(pieces[0], 0);
        var last = first;
        for (var i = 1; i < pieces.Count; i++)
        {
            last = last.Append(pieces[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Every variant the split tests use: whole, every 2-way split, one byte per segment.</summary>
    public static IEnumerable<(string Name, ReadOnlySequence<byte> Sequence)> AllVariants(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        yield return ("whole", new ReadOnlySequence<byte>(data));
        for (var i = 0; i <= data.Length; i++)
        {
            yield return ($"split@{i}", SplitAt(data, i));
        }

        yield return ("1-byte", OneBytePerSegment(data));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
