// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Stickpeer.Protocol.Errors;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Protocol.Wire;

/// <summary>Reads DEFINE (0x82) payloads.</summary>
public static class DefineMessage
{
    private const ulong KnownTypesMask = (1UL << DataTypeCatalogue.Count) - 1;

    /// <summary>Parses a DEFINE payload.</summary>
    /// <exception cref="PeerProtocolException">
    /// Malformed id, name, key type, key size or bitmask (<see cref="ProtocolError.MalformedVarint"/>,
    /// <see cref="ProtocolError.InvalidTableName"/>, <see cref="ProtocolError.InvalidTableId"/>).
    /// Problems after the bitmask make the definition ignored instead (<see cref="DecodedDefine.Schema"/> null).
    /// </exception>
    public static DecodedDefine Parse(in ReadOnlySequence<byte> payload)
    {
        var span = new PayloadSpan(payload);
        try
        {
            return Parse(span.Span);
        }
        finally
        {
            span.Dispose();
        }
    }

    /// <summary>Parses a DEFINE payload.</summary>
    /// <exception cref="PeerProtocolException">See <see cref="Parse(in ReadOnlySequence{byte})"/>.</exception>
    public static DecodedDefine Parse(ReadOnlySpan<byte> payload)
    {
        var r = new PayloadReader(payload);
        var rawId = r.ReadVarint();
        if (rawId > int.MaxValue)
        {
            ThrowHelper.ThrowInvalidTableId(rawId);
        }

        var tableId = (int)rawId;
        var nameLength = r.ReadVarint();
        if (nameLength == 0 || nameLength >= (ulong)r.Remaining)
        {
            ThrowHelper.ThrowProtocol(ProtocolError.InvalidTableName, "table name is empty or runs to the end of the message");
        }

        var name = Encoding.UTF8.GetString(r.ReadBytes((int)nameLength));
        var keyType = r.ReadVarint();
        var keySize = r.ReadVarint();
        var mask = r.ReadVarint();

        uint? expire = null;
        if (r.TryReadVarint(out var rawExpire))
        {
            expire = (uint)Math.Min(rawExpire, uint.MaxValue);
        }

        var reason = Validate(tableId, keyType, keySize);
        TableSchema? schema = null;
        if (reason == DefineIgnoreReason.None)
        {
            reason = ReadDataTypes(ref r, mask & KnownTypesMask, expire.HasValue, out var specs);
            if (reason == DefineIgnoreReason.None)
            {
                schema = new TableSchema(name, (StickKeyType)keyType, (int)keySize, expire ?? 0, specs);
            }
        }

        return new DecodedDefine(tableId, name, keyType, keySize, mask, expire, schema, reason);
    }

    private static DefineIgnoreReason Validate(int tableId, ulong keyType, ulong keySize)
    {
        if (tableId == 0)
        {
            return DefineIgnoreReason.ZeroTableId;
        }

        switch (keyType)
        {
            case (ulong)StickKeyType.Integer:
            case (ulong)StickKeyType.IPv4:
                return keySize == 4 ? DefineIgnoreReason.None : DefineIgnoreReason.InvalidKeySize;
            case (ulong)StickKeyType.IPv6:
                return keySize == 16 ? DefineIgnoreReason.None : DefineIgnoreReason.InvalidKeySize;
            case (ulong)StickKeyType.String:
            case (ulong)StickKeyType.Binary:
                return keySize is 0 or > PeerProtocolLimits.MaxKeySize ? DefineIgnoreReason.InvalidKeySize : DefineIgnoreReason.None;
            default:
                return DefineIgnoreReason.UnknownKeyType;
        }
    }

    private static DefineIgnoreReason ReadDataTypes(ref PayloadReader r, ulong mask, bool hasParameters, out List<DataTypeSpec> specs)
    {
        specs = new List<DataTypeSpec>(System.Numerics.BitOperations.PopCount(mask));
        while (mask != 0)
        {
            var id = System.Numerics.BitOperations.TrailingZeroCount(mask);
            mask &= mask - 1;
            var type = (StickDataType)id;
            var info = DataTypeCatalogue.Get(type);
            var length = 1;
            uint period = 0;
            if (info.IsArray || info.HasPeriod)
            {
                if (!hasParameters)
                {
                    if (info.IsArray)
                    {
                        return DefineIgnoreReason.MissingArrayParameters;
                    }

                    specs.Add(new DataTypeSpec(type, 1, 0));
                    continue;
                }

                if (!r.TryReadVarint(out var blockType))
                {
                    return DefineIgnoreReason.MissingParameters;
                }

                if (blockType != (ulong)id)
                {
                    return DefineIgnoreReason.ParameterTypeMismatch;
                }

                if (info.IsArray)
                {
                    if (!r.TryReadVarint(out var count))
                    {
                        return DefineIgnoreReason.MissingParameters;
                    }

                    if (count is 0 or > DataTypeCatalogue.MaxArrayLength)
                    {
                        return DefineIgnoreReason.InvalidArrayLength;
                    }

                    length = (int)count;
                }

                if (info.HasPeriod)
                {
                    if (!r.TryReadVarint(out var rawPeriod))
                    {
                        return DefineIgnoreReason.MissingParameters;
                    }

                    period = (uint)Math.Min(rawPeriod, uint.MaxValue);
                }
            }

            specs.Add(new DataTypeSpec(type, length, period));
        }

        return DefineIgnoreReason.None;
    }
}
