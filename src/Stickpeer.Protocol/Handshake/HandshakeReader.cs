// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Errors;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Protocol.Handshake;

/// <summary>
/// Reads the line-based handshake. Lines end with <c>\n</c>; a <c>\r</c> right before it is
/// stripped. Incomplete input returns <see cref="OperationStatus.NeedMoreData"/> and consumes
/// nothing; bytes after the last line read are left unconsumed (they start the binary stream).
/// </summary>
public static class HandshakeReader
{
    /// <summary>Reads the three hello lines (acceptor side).</summary>
    /// <param name="buffer">Received bytes from the start of the connection.</param>
    /// <param name="maxLineLength">Largest line including its <c>\n</c> (<see cref="PeerProtocolLimits.DefaultMaxHandshakeLine"/>).</param>
    /// <param name="hello">The hello when <see cref="OperationStatus.Done"/>.</param>
    /// <param name="consumed">End of line 3 when done, else the start of the buffer.</param>
    /// <param name="examined">End of line 3 when done, else the end of the buffer.</param>
    /// <exception cref="PeerProtocolException">A line is longer than allowed (<see cref="ProtocolError.LineTooLong"/>).</exception>
    public static OperationStatus TryReadHello(
        in ReadOnlySequence<byte> buffer,
        int maxLineLength,
        out PeerHello? hello,
        out SequencePosition consumed,
        out SequencePosition examined)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (TryReadLine(ref reader, maxLineLength, out var l1)
            && TryReadLine(ref reader, maxLineLength, out var l2)
            && TryReadLine(ref reader, maxLineLength, out var l3))
        {
            hello = new PeerHello(ToSpan(l1), ToSpan(l2), ToSpan(l3));
            consumed = examined = reader.Position;
            return OperationStatus.Done;
        }

        hello = null;
        consumed = buffer.Start;
        examined = buffer.End;
        return OperationStatus.NeedMoreData;
    }

    /// <summary>Reads the acceptor's status line (connector side), with <c>atoi</c>-like leniency for trailing text.</summary>
    /// <param name="buffer">Received bytes after our hello.</param>
    /// <param name="maxLineLength">Largest line including its <c>\n</c>.</param>
    /// <param name="status">The status code (any number; compare with <see cref="HandshakeStatus"/>).</param>
    /// <param name="consumed">Just after the <c>\n</c> when done (the binary stream starts there), else the start.</param>
    /// <param name="examined">Same as <paramref name="consumed"/> when done, else the end of the buffer.</param>
    /// <exception cref="PeerProtocolException">
    /// The line does not start with a number (<see cref="ProtocolError.BadHandshakeLine"/>) or is too long
    /// (<see cref="ProtocolError.LineTooLong"/>).
    /// </exception>
    public static OperationStatus TryReadStatus(
        in ReadOnlySequence<byte> buffer,
        int maxLineLength,
        out HandshakeStatus status,
        out SequencePosition consumed,
        out SequencePosition examined)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (TryReadLine(ref reader, maxLineLength, out var line))
        {
            status = (HandshakeStatus)ParseStatus(ToSpan(line));
            consumed = examined = reader.Position;
            return OperationStatus.Done;
        }

        status = default;
        consumed = buffer.Start;
        examined = buffer.End;
        return OperationStatus.NeedMoreData;
    }

    /// <summary>Reads one line (without <c>\n</c> and a preceding <c>\r</c>) and advances past it.</summary>
    /// <exception cref="PeerProtocolException">The line is longer than <paramref name="maxLineLength"/> bytes including its <c>\n</c>.</exception>
    public static bool TryReadLine(ref SequenceReader<byte> reader, int maxLineLength, out ReadOnlySequence<byte> line)
    {
        if (reader.TryReadTo(out line, (byte)'\n', advancePastDelimiter: true))
        {
            if (line.Length >= maxLineLength)
            {
                ThrowHelper.ThrowLineTooLong(maxLineLength);
            }

            if (!line.IsEmpty && EndsWithCr(line))
            {
                line = line.Slice(0, line.Length - 1);
            }

            return true;
        }

        if (reader.Remaining >= maxLineLength)
        {
            ThrowHelper.ThrowLineTooLong(maxLineLength);
        }

        return false;
    }

    private static bool EndsWithCr(in ReadOnlySequence<byte> line)
    {
        var last = line.Slice(line.Length - 1);
        return last.FirstSpan[0] == (byte)'\r';
    }

    private static ReadOnlySpan<byte> ToSpan(in ReadOnlySequence<byte> s) => s.IsSingleSegment ? s.FirstSpan : s.ToArray();

    private static int ParseStatus(ReadOnlySpan<byte> line)
    {
        var i = 0;
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }

        var start = i;
        var value = 0;
        while (i < line.Length && line[i] is >= (byte)'0' and <= (byte)'9' && i - start < 9)
        {
            value = (value * 10) + (line[i] - '0');
            i++;
        }

        if (i == start)
        {
            ThrowHelper.ThrowProtocol(ProtocolError.BadHandshakeLine, "status line does not start with a number");
        }

        return value;
    }
}
