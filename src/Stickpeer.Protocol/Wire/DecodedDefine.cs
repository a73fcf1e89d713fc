// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Protocol.Wire;

/// <summary>
/// A decoded DEFINE (table definition) message. <see cref="Schema"/> is the sender's table
/// shape used to decode its updates, or null when the definition must be ignored
/// (see <see cref="IgnoreReason"/>); the raw fields are always available.
/// </summary>
public sealed class DecodedDefine
{
    /// <summary>Creates a definition (normally done by <see cref="DefineMessage.Parse(ReadOnlySpan{byte})"/>).</summary>
    public DecodedDefine(
        int tableId,
        string name,
        ulong keyTypeCode,
        ulong keySize,
        ulong dataTypeMask,
        uint? expireMs,
        TableSchema? schema,
        DefineIgnoreReason ignoreReason)
    {
        TableId = tableId;
        Name = name;
        KeyTypeCode = keyTypeCode;
        KeySize = keySize;
        DataTypeMask = dataTypeMask;
        ExpireMs = expireMs;
        Schema = schema;
        IgnoreReason = ignoreReason;
    }

    /// <summary>The sender's id for this table (echoed in our ACKs, referenced by SWITCH).</summary>
    public int TableId { get; }

    /// <summary>The table's network name.</summary>
    public string Name { get; }

    /// <summary>The raw network key-type code (see <see cref="StickKeyType"/>).</summary>
    public ulong KeyTypeCode { get; }

    /// <summary>The raw key size announced.</summary>
    public ulong KeySize { get; }

    /// <summary>The raw data-type bitmask, including bits of types this codec does not know.</summary>
    public ulong DataTypeMask { get; }

    /// <summary>The announced expire in milliseconds, or null when the sender omitted it (pre-1.8).</summary>
    public uint? ExpireMs { get; }

    /// <summary>The sender's schema (known data types only), or null when the definition is ignored.</summary>
    public TableSchema? Schema { get; }

    /// <summary>Why <see cref="Schema"/> is null; <see cref="DefineIgnoreReason.None"/> when usable.</summary>
    public DefineIgnoreReason IgnoreReason { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"id={TableId} name={Name} keytype={KeyTypeCode} keysize={KeySize} mask=0x{DataTypeMask:X} expire={ExpireMs} ignored={IgnoreReason}";
}
