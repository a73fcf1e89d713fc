// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Model;

/// <summary>
/// The wire-visible shape of a stick table: what a DEFINE message carries. Built from a
/// table declaration (our side) or decoded from a peer's DEFINE (their side), where it
/// is then used to decode that peer's updates in the peer's own order and array sizes.
/// </summary>
public sealed class TableSchema
{
    private readonly DataTypeSpec[] _stored;
    private readonly int[] _indexByType;
    private readonly DataEncoding[] _slotEncodings;

    /// <summary>Creates a schema. <paramref name="dataTypes"/> may come in any order; it is kept in id order.</summary>
    /// <param name="name">The table's network name (<c>stkt</c> for a proxy table, <c>/t</c> for a peers-section table).</param>
    /// <param name="keyType">The key type.</param>
    /// <param name="keySize">The key size as sent in DEFINE (string: len+1, or 32 by default; binary: len; ip: 4; ipv6: 16; integer: 4).</param>
    /// <param name="expireMs">The table expire in milliseconds, 0 when none.</param>
    /// <param name="dataTypes">The stored data types with their parameters.</param>
    public TableSchema(string name, StickKeyType keyType, int keySize, uint expireMs, IEnumerable<DataTypeSpec> dataTypes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(dataTypes);
        Name = name;
        KeyType = keyType;
        KeySize = keySize;
        ExpireMs = expireMs;
        _stored = dataTypes.OrderBy(d => d.Type).ToArray();
        _indexByType = new int[DataTypeCatalogue.Count];
        Array.Fill(_indexByType, -1);
        for (var i = 0; i < _stored.Length; i++)
        {
            var spec = _stored[i];
            if (_indexByType[(int)spec.Type] >= 0)
            {
                throw new ArgumentException($"data type {spec.Info.Name} is listed twice", nameof(dataTypes));
            }

            _indexByType[(int)spec.Type] = i;
            DataTypeMask |= 1UL << (int)spec.Type;
        }

        _slotEncodings = _stored.SelectMany(d => Enumerable.Repeat(d.Info.Encoding, d.ArrayLength)).ToArray();
    }

    /// <summary>The network name.</summary>
    public string Name { get; }

    /// <summary>The key type.</summary>
    public StickKeyType KeyType { get; }

    /// <summary>The key size announced in DEFINE.</summary>
    public int KeySize { get; }

    /// <summary>The table expire in milliseconds (0 = none). Informative on the wire.</summary>
    public uint ExpireMs { get; }

    /// <summary>Bit n set when data type n is stored.</summary>
    public ulong DataTypeMask { get; }

    /// <summary>The stored data types in ascending id order (the order values travel in).</summary>
    public ReadOnlySpan<DataTypeSpec> DataTypes => _stored;

    /// <summary>True when the table stores <paramref name="type"/>.</summary>
    public bool Stores(StickDataType type) => _indexByType[(int)type] >= 0;

    /// <summary>Gets the parameters of a stored type.</summary>
    public bool TryGet(StickDataType type, out DataTypeSpec spec)
    {
        var i = _indexByType[(int)type];
        spec = i >= 0 ? _stored[i] : default;
        return i >= 0;
    }

    /// <summary>Two schemas are wire-compatible when name, key type and key size match (HAProxy ignores the rest).</summary>
    public bool IsWireCompatibleWith(TableSchema other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Name == other.Name && KeyType == other.KeyType && KeySize == other.KeySize;
    }

    /// <summary>Number of value slots of an entry (array types count their element count).</summary>
    public int SlotCount => _slotEncodings.Length;

    /// <summary>The encoding of every value slot in wire order (arrays expanded), for codecs.</summary>
    public ReadOnlySpan<DataEncoding> SlotEncodings => _slotEncodings;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name} type={KeyType} keysize={KeySize} expire={ExpireMs} data=[{string.Join(',', _stored.Select(d => d.Info.IsArray ? $"{d.Info.Name}({d.ArrayLength})" : d.Info.Name))}]";
}
