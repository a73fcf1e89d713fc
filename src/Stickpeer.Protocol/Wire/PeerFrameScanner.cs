// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Runtime.CompilerServices;
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
        if (TryReadHeader(buffer, maxPayloadLength, out var header) && (ulong)(buffer.Length - header.Size) >= header.PayloadLength)
        {
            frame = new PeerSpanFrame(header.Class, header.Type, buffer.Slice(header.Size, (int)header.PayloadLength));
            bytesConsumed = header.Size + (int)header.PayloadLength;
            return OperationStatus.Done;
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
        scoped ReadOnlySpan<byte> head = buffer.FirstSpan;
        Span<byte> scratch = stackalloc byte[PeerProtocolLimits.MaxFrameHeader];
        if (head.Length < PeerProtocolLimits.MaxFrameHeader && buffer.Length > head.Length)
        {
            var n = (int)Math.Min(buffer.Length, PeerProtocolLimits.MaxFrameHeader);
            buffer.Slice(0, n).CopyTo(scratch);
            head = scratch[..n];
        }

        if (TryReadHeader(head, maxPayloadLength, out var header) && (ulong)(buffer.Length - header.Size) >= header.PayloadLength)
        {
            var payload = buffer.Slice(header.Size, (long)header.PayloadLength);
            frame = new PeerFrame(header.Class, header.Type, payload);
            consumed = examined = payload.End;
            return OperationStatus.Done;
        }

        frame = default;
        consumed = buffer.Start;
        examined = buffer.End;
        return OperationStatus.NeedMoreData;
    }

    /// <summary>
    /// The rules both variants share: class, type and (for types with a payload) the length varint.
    /// False while the header is incomplete; throws for class 255, an over-long varint or a payload
    /// over the limit (before the payload arrives).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // on the per-message receive path
    private static bool TryReadHeader(ReadOnlySpan<byte> head, int maxPayloadLength, out FrameHeader header)
    {
        header = default;
        if (head.Length < 2)
        {
            return false;
        }

        var cls = head[0];
        var type = head[1];
        if (cls == (byte)MessageClass.Reserved)
        {
            ThrowHelper.ThrowReservedClass();
        }

        if ((type & 0x80) == 0)
        {
            header = new FrameHeader(cls, type, 2, 0);
            return true;
        }

        var lengthBytes = head[2..];
        if (lengthBytes.Length > PeerProtocolLimits.MaxFrameLengthVarint)
        {
            lengthBytes = lengthBytes[..PeerProtocolLimits.MaxFrameLengthVarint];
        }

        if (PeerVarint.TryRead(lengthBytes, out var length, out var used) != OperationStatus.Done)
        {
            if (lengthBytes.Length == PeerProtocolLimits.MaxFrameLengthVarint)
            {
                ThrowHelper.ThrowProtocol(ProtocolError.VarintTooLong, "message length varint is longer than 5 bytes");
            }

            return false;
        }

        if (length > (ulong)maxPayloadLength)
        {
            ThrowHelper.ThrowSizeLimit(length, maxPayloadLength);
        }

        header = new FrameHeader(cls, type, 2 + used, length);
        return true;
    }

    private readonly record struct FrameHeader(byte Class, byte Type, int Size, ulong PayloadLength);
}
