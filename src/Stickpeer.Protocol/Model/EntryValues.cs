// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Model;

/// <summary>
/// A reusable buffer holding every value of one entry laid out in a schema's order:
/// for each stored data type (ascending id), <see cref="DataTypeSpec.ArrayLength"/>
/// consecutive <see cref="WireValue"/> slots. The codec decodes an update into it (using
/// the sender's schema) and encodes an update from it (using our schema); the table
/// engine fills it from an entry and applies it to an entry. Allocated once per schema
/// and reused, so steady-state traffic allocates nothing.
/// </summary>
public sealed class EntryValues
{
    private readonly WireValue[] _slots;
    private readonly int[] _firstSlotByType;

    /// <summary>Creates a buffer sized for <paramref name="schema"/>.</summary>
    public EntryValues(TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        _firstSlotByType = new int[DataTypeCatalogue.Count];
        Array.Fill(_firstSlotByType, -1);
        var n = 0;
        foreach (var spec in schema.DataTypes)
        {
            _firstSlotByType[(int)spec.Type] = n;
            n += spec.ArrayLength;
        }

        _slots = new WireValue[n];
    }

    /// <summary>The schema this buffer is laid out for.</summary>
    public TableSchema Schema { get; }

    /// <summary>All slots in wire order.</summary>
    public Span<WireValue> Slots => _slots;

    /// <summary>The slots of one data type (empty when the schema does not store it).</summary>
    public Span<WireValue> Of(StickDataType type)
    {
        var first = _firstSlotByType[(int)type];
        if (first < 0)
        {
            return Span<WireValue>.Empty;
        }

        Schema.TryGet(type, out var spec);
        return _slots.AsSpan(first, spec.ArrayLength);
    }

    /// <summary>Resets every slot to zero / no value.</summary>
    public void Clear() => Array.Clear(_slots);
}
