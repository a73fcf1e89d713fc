// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Tables.Engine;

/// <summary>
/// A precomputed copy between the value slots of an <see cref="EntryValues"/> (laid out in some
/// schema) and an entry's row of words: one step per numeric slot, plus the dictionary slot.
/// Built once per (table, schema), so filling or storing an entry is one tight loop instead of a
/// walk over data types with catalogue and layout look-ups.
/// </summary>
internal sealed class ValuePlan
{
    private ValuePlan(TableSchema schema, Step[] steps, int textSlot, int slotCount)
    {
        Schema = schema;
        Steps = steps;
        TextSlot = textSlot;
        SlotCount = slotCount;
    }

    /// <summary>The schema of the <see cref="EntryValues"/> side.</summary>
    public TableSchema Schema { get; }

    /// <summary>Numeric steps, in slot order.</summary>
    public Step[] Steps { get; }

    /// <summary>The slot of the dictionary value to copy, or -1.</summary>
    public int TextSlot { get; }

    /// <summary>Slots of the <see cref="EntryValues"/> side.</summary>
    public int SlotCount { get; }

    /// <summary>The plan for filling values laid out in the table's own schema from a row.</summary>
    public static ValuePlan ForOwn(TableSchema schema, ValueLayout layout)
    {
        var steps = new List<Step>();
        var textSlot = -1;
        var slot = 0;
        foreach (var spec in schema.DataTypes)
        {
            var encoding = spec.Info.Encoding;
            for (var i = 0; i < spec.ArrayLength; i++, slot++)
            {
                if (encoding == DataEncoding.Dictionary)
                {
                    textSlot = slot;
                }
                else
                {
                    steps.Add(new Step(slot, layout.OffsetOf(spec.Type, i), encoding));
                }
            }
        }

        return new ValuePlan(schema, [.. steps], textSlot, slot);
    }

    /// <summary>
    /// The plan for storing a peer's values (laid out in <paramref name="sender"/>) onto our row: by
    /// data type; types we do not store are skipped, and so is the local-only conn_cur unless
    /// <paramref name="learnLocalOnly"/> (a <c>recv-only</c> table); arrays take min(sender, local) elements.
    /// </summary>
    public static ValuePlan ForSender(TableSchema sender, ValueLayout layout, bool learnLocalOnly = false)
    {
        var steps = new List<Step>();
        var textSlot = -1;
        var slot = 0;
        foreach (var spec in sender.DataTypes)
        {
            var type = spec.Type;
            var first = slot;
            slot += spec.ArrayLength;
            if ((uint)type >= DataTypeCatalogue.Count || !layout.Stores(type) || (DataTypeCatalogue.Get(type).IsLocalOnly && !learnLocalOnly))
            {
                continue;
            }

            var n = Math.Min(spec.ArrayLength, layout.LengthOf(type));
            var encoding = DataTypeCatalogue.Get(type).Encoding;
            if (encoding == DataEncoding.Dictionary)
            {
                textSlot = n > 0 ? first : -1;
                continue;
            }

            for (var i = 0; i < n; i++)
            {
                steps.Add(new Step(first + i, layout.OffsetOf(type, i), encoding));
            }
        }

        return new ValuePlan(sender, [.. steps], textSlot, slot);
    }

    /// <summary>One numeric slot: its index in the values, its word offset in the row, its encoding.</summary>
    internal readonly record struct Step(int Slot, int Offset, DataEncoding Encoding);
}
