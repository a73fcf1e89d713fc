// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Runtime.CompilerServices;
using Stickpeer.Protocol.Errors;

namespace Stickpeer.Protocol.Wire;

/// <summary>
/// HAProxy's prefix varint for unsigned 64-bit values (not LEB128). Values below 240 take
/// one byte. Otherwise the first byte is the low byte with the top nibble forced to 1111,
/// followed by 7-bit groups with bit 7 set, ended by a byte below 128. The decoder adds
/// each whole byte shifted by 0, 4, 11, 18, … (see docs/protocol-notes.md).
/// </summary>
public static class PeerVarint
{
    /// <summary>Encodes <paramref name="value"/> into <paramref name="destination"/> and returns the byte count.</summary>
    /// <exception cref="ArgumentException">The destination is too small.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Write(Span<byte> destination, ulong value)
    {
        if (value < 0xF0 && !destination.IsEmpty)
        {
            destination[0] = (byte)value;
            return 1;
        }

        return WriteSlow(destination, value);
    }

    /// <summary>Number of bytes <see cref="Write"/> produces for <paramref name="value"/> (1..10).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetEncodedLength(ulong value)
    {
        if (value < 0xF0)
        {
            return 1;
        }

        var n = 2;
        value = (value - 0xF0) >> 4;
        while (value >= 0x80)
        {
            value = (value - 0x80) >> 7;
            n++;
        }

        return n;
    }

    /// <summary>
    /// Decodes a varint from the start of <paramref name="source"/>. Returns
    /// <see cref="OperationStatus.NeedMoreData"/> when the input ends before the varint does.
    /// </summary>
    /// <exception cref="PeerProtocolException">Ten bytes without a terminating byte: the varint would need an 11th (<see cref="ProtocolError.VarintTooLong"/>).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static OperationStatus TryRead(ReadOnlySpan<byte> source, out ulong value, out int bytesRead)
    {
        if (!source.IsEmpty && source[0] < 0xF0)
        {
            value = source[0];
            bytesRead = 1;
            return OperationStatus.Done;
        }

        return TryReadSlow(source, out value, out bytesRead);
    }

    /// <summary>
    /// Decodes a varint at the reader's position and advances past it. On
    /// <see cref="OperationStatus.NeedMoreData"/> the reader is not moved.
    /// </summary>
    /// <exception cref="PeerProtocolException">The varint has more than 10 bytes.</exception>
    public static OperationStatus TryRead(ref SequenceReader<byte> reader, out ulong value)
    {
        var status = TryRead(reader.UnreadSpan, out value, out var used);
        if (status == OperationStatus.Done)
        {
            reader.Advance(used);
            return status;
        }

        if (reader.UnreadSpan.Length >= PeerProtocolLimits.MaxVarintLength || reader.Remaining == reader.UnreadSpan.Length)
        {
            // Either the span alone proved the varint too long (TryRead threw), or there is nothing more.
            return status;
        }

        Span<byte> scratch = stackalloc byte[PeerProtocolLimits.MaxVarintLength];
        var n = (int)Math.Min(reader.Remaining, PeerProtocolLimits.MaxVarintLength);
        reader.UnreadSequence.Slice(0, n).CopyTo(scratch);
        status = TryRead(scratch[..n], out value, out used);
        if (status == OperationStatus.Done)
        {
            reader.Advance(used);
        }

        return status;
    }

    private static OperationStatus TryReadSlow(ReadOnlySpan<byte> source, out ulong value, out int bytesRead)
    {
        value = 0;
        bytesRead = 0;
        if (source.IsEmpty)
        {
            return OperationStatus.NeedMoreData;
        }

        ulong v = source[0];
        var shift = 4;
        var i = 1;
        while (true)
        {
            if (i >= PeerProtocolLimits.MaxVarintLength)
            {
                // Ten bytes without a terminator: the value would need an 11th byte.
                ThrowHelper.ThrowVarintTooLong();
            }

            if (i >= source.Length)
            {
                return OperationStatus.NeedMoreData;
            }

            ulong b = source[i++];
            v = unchecked(v + (b << shift));
            shift += 7;
            if (b < 0x80)
            {
                value = v;
                bytesRead = i;
                return OperationStatus.Done;
            }
        }
    }

    private static int WriteSlow(Span<byte> destination, ulong value)
    {
        if (destination.Length < GetEncodedLength(value))
        {
            ThrowTooSmall();
        }

        if (value < 0xF0)
        {
            destination[0] = (byte)value;
            return 1;
        }

        destination[0] = (byte)(value | 0xF0);
        value = (value - 0xF0) >> 4;
        var n = 1;
        while (value >= 0x80)
        {
            destination[n++] = (byte)(value | 0x80);
            value = (value - 0x80) >> 7;
        }

        destination[n++] = (byte)value;
        return n;
    }

    private static void ThrowTooSmall() =>
        throw new ArgumentException("destination is too small for the varint", "destination");
}
