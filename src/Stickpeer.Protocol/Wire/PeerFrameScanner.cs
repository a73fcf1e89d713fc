// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Errors;

namespace Stickpeer.Protocol.Wire;

/// <summary>
/// Finds the next complete binary message in a buffer. Stateless and resumable: call it
/// again with more data after <see cref="OperationStatus.NeedMoreData"/>; nothing is
/// consumed until a whole message is present.
/// </summary>
public static class PeerFrameScanner
{
    /// <summary>
    /// Reads one message. On <see cref="OperationStatus.Done"/>, <paramref name="consumed"/> and
    /// <paramref name="examined"/> are the end of the message. On
    /// <see cref="OperationStatus.NeedMoreData"/>, <paramref name="consumed"/> is the start of
    /// <paramref name="buffer"/> and <paramref name="examined"/> its end.
    /// </summary>
    /// <param name="buffer">Received bytes, starting at a message boundary.</param>
    /// <param name="maxPayloadLength">Largest accepted payload (<see cref="PeerProtocolLimits.DefaultMaxPayload"/>).</param>
    /// <param name="frame">The message found.</param>
    /// <param name="consumed">Where the next message starts.</param>
    /// <param name="examined">How far the buffer was looked at.</param>
    /// <exception cref="PeerProtocolException">
    /// Class 255 (<see cref="ProtocolError.ReservedClass"/>), a length varint longer than 5 bytes
    /// (<see cref="ProtocolError.VarintTooLong"/>) or a payload over the limit
    /// (<see cref="ProtocolError.SizeLimit"/>, detected before the payload arrives).
    /// </exception>
    public static OperationStatus TryRead(
        in ReadOnlySequence<byte> buffer,
        int maxPayloadLength,
        out PeerFrame frame,
        out SequencePosition consumed,
        out SequencePosition examined)
    {
        // Fast path: class, type and a 1-byte length in the first segment.
        var first = buffer.FirstSpan;
        if (first.Length >= 3 && first[0] != (byte)MessageClass.Reserved && (first[1] & 0x80) != 0 && first[2] < 0xF0)
        {
            int length = first[2];
            if (length > maxPayloadLength)
            {
                ThrowHelper.ThrowSizeLimit((ulong)length, maxPayloadLength);
            }

            if (first.Length >= 3 + length)
            {
                var payload = buffer.Slice(3, length);
                frame = new PeerFrame(first[0], first[1], payload);
                consumed = examined = payload.End;
                return OperationStatus.Done;
            }
        }

        return TryReadSlow(buffer, maxPayloadLength, out frame, out consumed, out examined);
    }

    /// <summary>Reads one message with the default payload limit.</summary>
    public static OperationStatus TryRead(
        in ReadOnlySequence<byte> buffer,
        out PeerFrame frame,
        out SequencePosition consumed,
        out SequencePosition examined) =>
        TryRead(buffer, PeerProtocolLimits.DefaultMaxPayload, out frame, out consumed, out examined);

    /// <summary>
    /// Reads one message from a contiguous buffer (the fast path for single-segment input).
    /// Same rules and exceptions as the sequence overload; on
    /// <see cref="OperationStatus.NeedMoreData"/> <paramref name="bytesConsumed"/> is 0.
    /// </summary>
    /// <param name="buffer">Received bytes, starting at a message boundary.</param>
    /// <param name="maxPayloadLength">Largest accepted payload.</param>
    /// <param name="frame">The message found (its payload is a view of <paramref name="buffer"/>).</param>
    /// <param name="bytesConsumed">Length of the message on the wire.</param>
    /// <exception cref="PeerProtocolException">Class 255, a length varint over 5 bytes, or a payload over the limit.</exception>
    public static OperationStatus TryRead(ReadOnlySpan<byte> buffer, int maxPayloadLength, out PeerSpanFrame frame, out int bytesConsumed)
    {
        if (buffer.Length >= 2)
        {
            var cls = buffer[0];
            var type = buffer[1];
            if (cls == (byte)MessageClass.Reserved)
            {
                ThrowHelper.ThrowReservedClass();
            }

            if ((type & 0x80) == 0)
            {
                frame = new PeerSpanFrame(cls, type, default);
                bytesConsumed = 2;
                return OperationStatus.Done;
            }

            var lengthBytes = buffer[2..];
            if (lengthBytes.Length > PeerProtocolLimits.MaxFrameLengthVarint)
            {
                lengthBytes = lengthBytes[..PeerProtocolLimits.MaxFrameLengthVarint];
            }

            if (PeerVarint.TryRead(lengthBytes, out var length, out var used) == OperationStatus.Done)
            {
                if (length > (ulong)maxPayloadLength)
                {
                    ThrowHelper.ThrowSizeLimit(length, maxPayloadLength);
                }

                var start = 2 + used;
                if ((ulong)(buffer.Length - start) >= length)
                {
                    frame = new PeerSpanFrame(cls, type, buffer.Slice(start, (int)length));
                    bytesConsumed = start + (int)length;
                    return OperationStatus.Done;
                }
            }
            else if (lengthBytes.Length == PeerProtocolLimits.MaxFrameLengthVarint)
            {
                ThrowHelper.ThrowProtocol(ProtocolError.VarintTooLong, "message length varint is longer than 5 bytes");
            }
        }

        frame = default;
        bytesConsumed = 0;
        return OperationStatus.NeedMoreData;
    }

    private static OperationStatus TryReadSlow(
        in ReadOnlySequence<byte> buffer,
        int maxPayloadLength,
        out PeerFrame frame,
        out SequencePosition consumed,
        out SequencePosition examined)
    {
        scoped ReadOnlySpan<byte> header = buffer.FirstSpan;
        Span<byte> scratch = stackalloc byte[PeerProtocolLimits.MaxFrameHeader];
        if (header.Length < PeerProtocolLimits.MaxFrameHeader && buffer.Length > header.Length)
        {
            var n = (int)Math.Min(buffer.Length, PeerProtocolLimits.MaxFrameHeader);
            buffer.Slice(0, n).CopyTo(scratch);
            header = scratch[..n];
        }

        if (header.Length >= 2)
        {
            var cls = header[0];
            var type = header[1];
            if (cls == (byte)MessageClass.Reserved)
            {
                ThrowHelper.ThrowReservedClass();
            }

            if ((type & 0x80) == 0)
            {
                frame = new PeerFrame(cls, type, default);
                consumed = examined = buffer.GetPosition(2);
                return OperationStatus.Done;
            }

            var lengthBytes = header[2..];
            if (lengthBytes.Length > PeerProtocolLimits.MaxFrameLengthVarint)
            {
                lengthBytes = lengthBytes[..PeerProtocolLimits.MaxFrameLengthVarint];
            }

            if (PeerVarint.TryRead(lengthBytes, out var length, out var used) == OperationStatus.Done)
            {
                if (length > (ulong)maxPayloadLength)
                {
                    ThrowHelper.ThrowSizeLimit(length, maxPayloadLength);
                }

                var start = 2 + used;
                if (buffer.Length - start >= (long)length)
                {
                    var payload = buffer.Slice(start, (long)length);
                    frame = new PeerFrame(cls, type, payload);
                    consumed = examined = payload.End;
                    return OperationStatus.Done;
                }
            }
            else if (lengthBytes.Length == PeerProtocolLimits.MaxFrameLengthVarint)
            {
                ThrowHelper.ThrowProtocol(ProtocolError.VarintTooLong, "message length varint is longer than 5 bytes");
            }
        }

        frame = default;
        consumed = buffer.Start;
        examined = buffer.End;
        return OperationStatus.NeedMoreData;
    }
}
