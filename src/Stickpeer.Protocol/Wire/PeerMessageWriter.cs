// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Protocol.Wire;

/// <summary>
/// Writes binary peers messages into an <see cref="IBufferWriter{T}"/>. Each method writes
/// exactly one complete message (header, length, payload) and allocates nothing.
/// </summary>
public static class PeerMessageWriter
{
    /// <summary>Writes a 2-byte control message (<c>00 xx</c>).</summary>
    public static void WriteControl(IBufferWriter<byte> writer, ControlMessageType type) =>
        WriteTwoBytes(writer, (byte)MessageClass.Control, (byte)type);

    /// <summary>Writes a 2-byte error message (<c>01 00</c> or <c>01 01</c>).</summary>
    public static void WriteError(IBufferWriter<byte> writer, ErrorMessageType type) =>
        WriteTwoBytes(writer, (byte)MessageClass.Error, (byte)type);

    /// <summary>Writes a DEFINE for <paramref name="schema"/> under our table id <paramref name="tableId"/> (≥ 1).</summary>
    public static void WriteDefine(IBufferWriter<byte> writer, int tableId, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfNegative(tableId);
        var nameLength = Encoding.UTF8.GetByteCount(schema.Name);
        var length = PeerVarint.GetEncodedLength((ulong)tableId)
            + PeerVarint.GetEncodedLength((ulong)nameLength) + nameLength
            + PeerVarint.GetEncodedLength((ulong)schema.KeyType)
            + PeerVarint.GetEncodedLength((ulong)schema.KeySize)
            + PeerVarint.GetEncodedLength(schema.DataTypeMask)
            + PeerVarint.GetEncodedLength(schema.ExpireMs);
        foreach (var spec in schema.DataTypes)
        {
            length += ParameterBlockLength(spec);
        }

        var span = BeginMessage(writer, StickTableMessageType.Define, length, out var total);
        var p = 0;
        p += PeerVarint.Write(span[p..], (ulong)tableId);
        p += PeerVarint.Write(span[p..], (ulong)nameLength);
        p += Encoding.UTF8.GetBytes(schema.Name, span[p..]);
        p += PeerVarint.Write(span[p..], (ulong)schema.KeyType);
        p += PeerVarint.Write(span[p..], (ulong)schema.KeySize);
        p += PeerVarint.Write(span[p..], schema.DataTypeMask);
        p += PeerVarint.Write(span[p..], schema.ExpireMs);
        foreach (var spec in schema.DataTypes)
        {
            var info = spec.Info;
            if (!info.IsArray && !info.HasPeriod)
            {
                continue;
            }

            p += PeerVarint.Write(span[p..], (ulong)spec.Type);
            if (info.IsArray)
            {
                p += PeerVarint.Write(span[p..], (ulong)spec.ArrayLength);
            }

            if (info.HasPeriod)
            {
                p += PeerVarint.Write(span[p..], spec.PeriodMs);
            }
        }

        writer.Advance(total);
    }

    /// <summary>Writes a SWITCH selecting our table id <paramref name="tableId"/>.</summary>
    public static void WriteSwitch(IBufferWriter<byte> writer, int tableId)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfNegative(tableId);
        var span = BeginMessage(writer, StickTableMessageType.Switch, PeerVarint.GetEncodedLength((ulong)tableId), out var total);
        PeerVarint.Write(span, (ulong)tableId);
        writer.Advance(total);
    }

    /// <summary>Writes an ACK for the peer's table id <paramref name="tableId"/> up to <paramref name="updateId"/>.</summary>
    public static void WriteAck(IBufferWriter<byte> writer, int tableId, uint updateId)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfNegative(tableId);
        var idLength = PeerVarint.GetEncodedLength((ulong)tableId);
        var span = BeginMessage(writer, StickTableMessageType.Ack, idLength + 4, out var total);
        PeerVarint.Write(span, (ulong)tableId);
        BinaryPrimitives.WriteUInt32BigEndian(span[idLength..], updateId);
        writer.Advance(total);
    }

    /// <summary>
    /// Writes one entry update in <c>values.Schema</c> (our table's schema): 0x80/0x81 or, when
    /// <paramref name="timed"/>, 0x85/0x86 carrying <paramref name="expireMs"/>.
    /// </summary>
    /// <param name="writer">Destination.</param>
    /// <param name="timed">True for the timed forms (full resync to a 2.1 peer).</param>
    /// <param name="explicitUpdateId">The update id, or null for the implicit form (receiver's previous id + 1).</param>
    /// <param name="expireMs">Remaining lifetime in milliseconds (timed forms only; ignored otherwise).</param>
    /// <param name="canonicalKey">The canonical key bytes (see <see cref="StickKey"/>); binary keys shorter than the key size are zero padded.</param>
    /// <param name="values">The entry's values, laid out in our schema.</param>
    /// <param name="txCache">The session's send-side dictionary (updated when a new <c>server_key</c> string is sent).</param>
    /// <exception cref="ArgumentException">The key does not suit the key type, or the message would exceed <see cref="PeerProtocolLimits.DefaultMaxPayload"/>.</exception>
    public static void WriteUpdate(
        IBufferWriter<byte> writer,
        bool timed,
        uint? explicitUpdateId,
        uint expireMs,
        ReadOnlySpan<byte> canonicalKey,
        EntryValues values,
        ServerKeyEncoderCache txCache)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(txCache);
        var schema = values.Schema;
        var encodings = schema.SlotEncodings;
        var slots = values.Slots[..encodings.Length];

        var keyLength = KeyWireLength(schema, canonicalKey);
        var length = (explicitUpdateId.HasValue ? 4 : 0) + (timed ? 4 : 0) + keyLength + ValuesLength(encodings, slots, txCache);
        if (length > PeerProtocolLimits.DefaultMaxPayload)
        {
            throw new ArgumentException($"update of {length} bytes exceeds the {PeerProtocolLimits.DefaultMaxPayload}-byte message limit", nameof(values));
        }

        var type = (timed, explicitUpdateId.HasValue) switch
        {
            (false, true) => StickTableMessageType.Update,
            (false, false) => StickTableMessageType.IncrementalUpdate,
            (true, true) => StickTableMessageType.UpdateTimed,
            (true, false) => StickTableMessageType.IncrementalUpdateTimed,
        };

        var span = BeginMessage(writer, type, length, out var total);
        var p = 0;
        if (explicitUpdateId is { } id)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span, id);
            p = 4;
        }

        if (timed)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span[p..], expireMs);
            p += 4;
        }

        p += WriteKey(span[p..], schema, canonicalKey);
        for (var s = 0; s < encodings.Length; s++)
        {
            ref readonly var slot = ref slots[s];
            switch (encodings[s])
            {
                case DataEncoding.UnsignedInt:
                    p += PeerVarint.Write(span[p..], (uint)slot.Number);
                    break;
                case DataEncoding.FrequencyCounter:
                    p += PeerVarint.Write(span[p..], slot.AgeMs);
                    p += PeerVarint.Write(span[p..], slot.Current);
                    p += PeerVarint.Write(span[p..], slot.Previous);
                    break;
                case DataEncoding.SignedInt:
                    p += PeerVarint.Write(span[p..], SignExtend(slot.Number));
                    break;
                case DataEncoding.UnsignedLong:
                    p += PeerVarint.Write(span[p..], slot.Number);
                    break;
                default:
                    p += WriteDictionary(span[p..], slot.Text, txCache);
                    break;
            }
        }

        writer.Advance(total);
    }

    private static ulong SignExtend(ulong number) => unchecked((ulong)(long)(int)(uint)number);

    private static int KeyWireLength(TableSchema schema, ReadOnlySpan<byte> key)
    {
        switch (schema.KeyType)
        {
            case StickKeyType.String:
                if (key.Length > schema.KeySize - 1)
                {
                    throw new ArgumentException($"string key of {key.Length} bytes exceeds key size {schema.KeySize} - 1", nameof(key));
                }

                return PeerVarint.GetEncodedLength((ulong)key.Length) + key.Length;
            case StickKeyType.Binary:
                if (key.Length > schema.KeySize)
                {
                    throw new ArgumentException($"binary key of {key.Length} bytes exceeds key size {schema.KeySize}", nameof(key));
                }

                return schema.KeySize;
            default:
                var size = schema.KeyType == StickKeyType.IPv6 ? 16 : 4;
                if (key.Length != size)
                {
                    throw new ArgumentException($"{schema.KeyType} key must be {size} bytes", nameof(key));
                }

                return size;
        }
    }

    private static int WriteKey(Span<byte> span, TableSchema schema, ReadOnlySpan<byte> key)
    {
        switch (schema.KeyType)
        {
            case StickKeyType.String:
                var n = PeerVarint.Write(span, (ulong)key.Length);
                key.CopyTo(span[n..]);
                return n + key.Length;
            case StickKeyType.Binary:
                key.CopyTo(span);
                span[key.Length..schema.KeySize].Clear();
                return schema.KeySize;
            default:
                key.CopyTo(span);
                return key.Length;
        }
    }

    private static int ValuesLength(ReadOnlySpan<DataEncoding> encodings, ReadOnlySpan<WireValue> slots, ServerKeyEncoderCache txCache)
    {
        var length = 0;
        for (var s = 0; s < encodings.Length; s++)
        {
            ref readonly var slot = ref slots[s];
            length += encodings[s] switch
            {
                DataEncoding.UnsignedInt => PeerVarint.GetEncodedLength((uint)slot.Number),
                DataEncoding.FrequencyCounter => PeerVarint.GetEncodedLength(slot.AgeMs)
                    + PeerVarint.GetEncodedLength(slot.Current)
                    + PeerVarint.GetEncodedLength(slot.Previous),
                DataEncoding.SignedInt => PeerVarint.GetEncodedLength(SignExtend(slot.Number)),
                DataEncoding.UnsignedLong => PeerVarint.GetEncodedLength(slot.Number),
                _ => DictionaryLength(slot.Text, txCache),
            };
        }

        return length;
    }

    private static int DictionaryLength(string? text, ServerKeyEncoderCache txCache)
    {
        if (text is null)
        {
            return 1;
        }

        if (txCache.TryGetId(text, out var id))
        {
            return 1 + PeerVarint.GetEncodedLength((ulong)id);
        }

        var inner = DictionaryInnerLength(text, txCache.NextId);
        return PeerVarint.GetEncodedLength((ulong)inner) + inner;
    }

    private static int DictionaryInnerLength(string text, int id)
    {
        var m = DictionaryText.GetByteCount(text);
        return PeerVarint.GetEncodedLength((ulong)id) + PeerVarint.GetEncodedLength((ulong)m) + m;
    }

    private static int WriteDictionary(Span<byte> span, string? text, ServerKeyEncoderCache txCache)
    {
        if (text is null)
        {
            span[0] = 0;
            return 1;
        }

        int p;
        if (txCache.TryGetId(text, out var id))
        {
            p = PeerVarint.Write(span, (ulong)PeerVarint.GetEncodedLength((ulong)id));
            return p + PeerVarint.Write(span[p..], (ulong)id);
        }

        id = txCache.Add(text);
        var inner = DictionaryInnerLength(text, id);
        p = PeerVarint.Write(span, (ulong)inner);
        p += PeerVarint.Write(span[p..], (ulong)id);
        p += PeerVarint.Write(span[p..], (ulong)DictionaryText.GetByteCount(text));
        p += DictionaryText.Write(text, span[p..]);
        return p;
    }

    private static int ParameterBlockLength(DataTypeSpec spec)
    {
        var info = spec.Info;
        if (!info.IsArray && !info.HasPeriod)
        {
            return 0;
        }

        var length = PeerVarint.GetEncodedLength((ulong)spec.Type);
        if (info.IsArray)
        {
            length += PeerVarint.GetEncodedLength((ulong)spec.ArrayLength);
        }

        if (info.HasPeriod)
        {
            length += PeerVarint.GetEncodedLength(spec.PeriodMs);
        }

        return length;
    }

    /// <summary>Writes class, type and length; returns the span for the payload.</summary>
    private static Span<byte> BeginMessage(IBufferWriter<byte> writer, StickTableMessageType type, int payloadLength, out int total)
    {
        var lengthBytes = PeerVarint.GetEncodedLength((ulong)payloadLength);
        total = 2 + lengthBytes + payloadLength;
        var span = writer.GetSpan(total);
        span[0] = (byte)MessageClass.StickTable;
        span[1] = (byte)type;
        PeerVarint.Write(span[2..], (ulong)payloadLength);
        return span.Slice(2 + lengthBytes, payloadLength);
    }

    private static void WriteTwoBytes(IBufferWriter<byte> writer, byte cls, byte type)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(2);
        span[0] = cls;
        span[1] = type;
        writer.Advance(2);
    }
}
