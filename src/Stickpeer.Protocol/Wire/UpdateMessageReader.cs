// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Runtime.CompilerServices;
using Stickpeer.Protocol.Errors;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Protocol.Wire;

/// <summary>
/// Reads the four update messages (0x80, 0x81, 0x85, 0x86) into a reusable
/// <see cref="DecodedUpdate"/>. Key and values are decoded in the sender's schema
/// (<c>into.Values.Schema</c>, from its DEFINE). Bytes after the last known value
/// (values of data types this codec does not know, future fields) are ignored.
/// Allocates nothing, except a string for a <c>server_key</c> text not seen before in the session.
/// </summary>
public static class UpdateMessageReader
{
    /// <summary>True for the four update message types.</summary>
    public static bool IsUpdate(StickTableMessageType type) =>
        type is StickTableMessageType.Update or StickTableMessageType.IncrementalUpdate
            or StickTableMessageType.UpdateTimed or StickTableMessageType.IncrementalUpdateTimed;

    /// <summary>Decodes an update payload.</summary>
    /// <param name="payload">The message payload.</param>
    /// <param name="type">One of the four update types.</param>
    /// <param name="previousUpdateId">The id of the previous update received on this table in this session (for implicit ids).</param>
    /// <param name="rxCache">The session's receive-side dictionary.</param>
    /// <param name="into">The buffer to fill; its schema is the sender's.</param>
    /// <exception cref="PeerProtocolException">A truncated field or value, or a bad dictionary id.</exception>
    public static void Read(
        ReadOnlySpan<byte> payload,
        StickTableMessageType type,
        uint previousUpdateId,
        ServerKeyDecoderCache rxCache,
        DecodedUpdate into)
    {
        ArgumentNullException.ThrowIfNull(rxCache);
        ArgumentNullException.ThrowIfNull(into);
        bool explicitId, timed;
        switch (type)
        {
            case StickTableMessageType.Update: explicitId = true; timed = false; break;
            case StickTableMessageType.IncrementalUpdate: explicitId = false; timed = false; break;
            case StickTableMessageType.UpdateTimed: explicitId = true; timed = true; break;
            case StickTableMessageType.IncrementalUpdateTimed: explicitId = false; timed = true; break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "not an update message type");
        }

        var r = new PayloadReader(payload);
        into.UpdateId = explicitId ? r.ReadUInt32BigEndian() : unchecked(previousUpdateId + 1);
        into.HasExpire = timed;
        into.ExpireMs = timed ? r.ReadUInt32BigEndian() : 0;

        var values = into.Values;
        var schema = values.Schema;
        ReadKey(ref r, schema, into);
        ReadValues(ref r, schema.SlotEncodings, values.Slots, rxCache);
    }

    /// <summary>Decodes an update payload held in a sequence.</summary>
    /// <exception cref="PeerProtocolException">See <see cref="Read(ReadOnlySpan{byte}, StickTableMessageType, uint, ServerKeyDecoderCache, DecodedUpdate)"/>.</exception>
    public static void Read(
        in ReadOnlySequence<byte> payload,
        StickTableMessageType type,
        uint previousUpdateId,
        ServerKeyDecoderCache rxCache,
        DecodedUpdate into)
    {
        if (payload.IsSingleSegment)
        {
            Read(payload.FirstSpan, type, previousUpdateId, rxCache, into);
            return;
        }

        var span = new PayloadSpan(payload);
        try
        {
            Read(span.Span, type, previousUpdateId, rxCache, into);
        }
        finally
        {
            span.Dispose();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReadKey(ref PayloadReader r, TableSchema schema, DecodedUpdate into)
    {
        switch (schema.KeyType)
        {
            case StickKeyType.String:
            {
                var length = r.ReadLength();
                var bytes = r.ReadBytes(length);
                var max = schema.KeySize - 1;
                into.SetKey(bytes.Length > max ? bytes[..max] : bytes);
                break;
            }

            case StickKeyType.Integer:
                into.SetKey(r.ReadBytes(4));
                break;
            default:
                into.SetKey(r.ReadBytes(schema.KeySize));
                break;
        }
    }

    private static void ReadValues(ref PayloadReader r, ReadOnlySpan<DataEncoding> encodings, Span<WireValue> slots, ServerKeyDecoderCache rxCache)
    {
        slots = slots[..encodings.Length];
        for (var s = 0; s < encodings.Length; s++)
        {
            ref var slot = ref slots[s];
            switch (encodings[s])
            {
                case DataEncoding.UnsignedInt:
                    slot.Number = unchecked((uint)r.ReadVarint());
                    break;
                case DataEncoding.FrequencyCounter:
                    slot.AgeMs = unchecked((uint)r.ReadVarint());
                    slot.Current = unchecked((uint)r.ReadVarint());
                    slot.Previous = unchecked((uint)r.ReadVarint());
                    break;
                case DataEncoding.SignedInt:
                    slot.Number = unchecked((ulong)(long)(int)r.ReadVarint());
                    break;
                case DataEncoding.UnsignedLong:
                    slot.Number = r.ReadVarint();
                    break;
                default:
                    slot.Text = ReadDictionary(ref r, rxCache);
                    break;
            }
        }
    }

    private static string? ReadDictionary(ref PayloadReader r, ServerKeyDecoderCache rxCache)
    {
        var length = r.ReadLength();
        if (length == 0)
        {
            return null;
        }

        var inner = new PayloadReader(r.ReadBytes(length));
        if (!inner.TryReadVarint(out var id))
        {
            ThrowHelper.ThrowProtocol(ProtocolError.InvalidDictionaryValue, "dictionary id runs past its value");
        }

        if (inner.Remaining == 0)
        {
            return rxCache.Get(id);
        }

        if (!inner.TryReadVarint(out var textLength) || textLength > (ulong)inner.Remaining)
        {
            ThrowHelper.ThrowProtocol(ProtocolError.InvalidDictionaryValue, "dictionary string runs past its value");
        }

        return rxCache.Set(id, inner.ReadBytes((int)textLength));
    }
}
