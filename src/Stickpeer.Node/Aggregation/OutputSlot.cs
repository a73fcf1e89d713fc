// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Node.Aggregation;

/// <summary>One slot of the output schema and where each source table holds the same value (-1: not stored).</summary>
internal sealed record OutputSlot(int Slot, Combine Kind, DataEncoding Encoding, uint PeriodMs, int[] SourceSlots)
{
    /// <summary>The plan for an output schema over its sources (slots of types that do not combine are left out).</summary>
    public static OutputSlot[] Plan(TableSchema output, IReadOnlyList<StickTable> sources)
    {
        var plan = new List<OutputSlot>();
        var slot = 0;
        foreach (var spec in output.DataTypes)
        {
            var kind = AggregateMath.KindOf(spec.Type);
            for (var i = 0; i < spec.ArrayLength; i++)
            {
                if (kind != Combine.None)
                {
                    var map = sources.Select(s => SlotOf(s.Schema, spec.Type, i)).ToArray();
                    plan.Add(new OutputSlot(slot + i, kind, spec.Info.Encoding, spec.PeriodMs, map));
                }
            }

            slot += spec.ArrayLength;
        }

        return [.. plan];
    }

    private static int SlotOf(TableSchema schema, StickDataType type, int index)
    {
        var slot = 0;
        foreach (var spec in schema.DataTypes)
        {
            if (spec.Type == type)
            {
                return index < spec.ArrayLength ? slot + index : -1;
            }

            slot += spec.ArrayLength;
        }

        return -1;
    }
}
