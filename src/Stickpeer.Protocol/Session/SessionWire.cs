// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Buffers.Binary;

namespace Stickpeer.Protocol.Session;

/// <summary>
/// The few wire helpers the session needs for framing and control messages (2-byte messages,
/// the length varint, ACK and SWITCH). Table messages (DEFINE, UPDATE) go through the codec.
/// </summary>
internal static class SessionWire
{
    public const byte ClassControl = 0;
    public const byte ClassError = 1;
    public const byte ClassTable = 10;
    public const byte ClassReserved = 255;
    public const byte TypeUpdate = 0x80;
    public const byte TypeIncUpdate = 0x81;
    public const byte TypeDefine = 0x82;
    public const byte TypeSwitch = 0x83;
    public const byte TypeAck = 0x84;
    public const byte TypeUpdateTimed = 0x85;
    public const byte TypeIncUpdateTimed = 0x86;

    /// <summary>Scans one frame. NeedMoreData leaves everything unconsumed.</summary>
    public static OperationStatus TryReadFrame(
        in ReadOnlySequence<byte> input, int maxPayload, out byte cls, out byte type, out ReadOnlySequence<byte> payload, out SequencePosition next)
    {
        cls = type = 0;
        payload = default;
        next = input.Start;
        var reader = new SequenceReader<byte>(input);
        if (!reader.TryRead(out cls) || !reader.TryRead(out type))
        {
            return OperationStatus.NeedMoreData;
        }

        if ((type & 0x80) == 0)
        {
            next = reader.Position;
            return OperationStatus.Done;
        }

        Span<byte> head = stackalloc byte[5];
        var available = (int)Math.Min(5, reader.Remaining);
        reader.TryCopyTo(head[..available]);
        if (!TryReadVarint(head[..available], out var length, out var used))
        {
            return available >= 5 ? OperationStatus.InvalidData : OperationStatus.NeedMoreData;
        }

        if (length > (ulong)maxPayload)
        {
            return OperationStatus.DestinationTooSmall;
        }

        reader.Advance(used);
        if (reader.Remaining < (long)length)
        {
            return OperationStatus.NeedMoreData;
        }

        payload = input.Slice(reader.Position, (long)length);
        next = payload.End;
        return OperationStatus.Done;
    }

    public static bool TryReadVarint(ReadOnlySpan<byte> src, out ulong value, out int used)
    {
        value = 0;
        used = 0;
        if (src.IsEmpty)
        {
            return false;
        }

        value = src[0];
        used = 1;
        if (value < 240)
        {
            return true;
        }

        var shift = 4;
        while (used < src.Length && used < 10)
        {
            var b = src[used++];
            value = unchecked(value + ((ulong)b << shift));
            shift += 7;
            if (b < 128)
            {
                return true;
            }
        }

        return false;
    }

    public static int WriteVarint(Span<byte> dst, ulong x)
    {
        if (x < 240)
        {
            dst[0] = (byte)x;
            return 1;
        }

        var n = 0;
        dst[n++] = (byte)(x | 0xF0);
        x = (x - 240) >> 4;
        while (x >= 128)
        {
            dst[n++] = (byte)(x | 0x80);
            x = (x - 128) >> 7;
        }

        dst[n++] = (byte)x;
        return n;
    }

    public static void WriteShort(IBufferWriter<byte> w, byte cls, byte type)
    {
        var span = w.GetSpan(2);
        span[0] = cls;
        span[1] = type;
        w.Advance(2);
    }

    public static void WriteAck(IBufferWriter<byte> w, uint tableId, uint updateId)
    {
        Span<byte> body = stackalloc byte[16];
        var n = WriteVarint(body, tableId);
        BinaryPrimitives.WriteUInt32BigEndian(body[n..], updateId);
        n += 4;
        var span = w.GetSpan(3 + n);
        span[0] = ClassTable;
        span[1] = TypeAck;
        var l = WriteVarint(span[2..], (ulong)n);
        body[..n].CopyTo(span[(2 + l)..]);
        w.Advance(2 + l + n);
    }

    /// <summary>Parses an ACK payload; false when malformed.</summary>
    public static bool TryParseAck(ReadOnlySpan<byte> payload, out uint tableId, out uint updateId)
    {
        tableId = updateId = 0;
        if (!TryReadVarint(payload, out var id, out var used) || payload.Length - used < 4)
        {
            return false;
        }

        tableId = (uint)id;
        updateId = BinaryPrimitives.ReadUInt32BigEndian(payload[used..]);
        return true;
    }

    /// <summary>Parses a SWITCH payload; false when malformed.</summary>
    public static bool TryParseSwitch(ReadOnlySpan<byte> payload, out uint tableId)
    {
        var ok = TryReadVarint(payload, out var id, out _);
        tableId = (uint)id;
        return ok;
    }
}
