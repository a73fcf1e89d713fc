// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Model;

/// <summary>
/// One stored data type of a table with its parameters: the element count of arrays
/// (1 for plain types) and the period of frequency counters (0 for the others).
/// </summary>
/// <param name="Type">The data type.</param>
/// <param name="ArrayLength">Element count; 1 for non-array types, 1..100 for arrays.</param>
/// <param name="PeriodMs">Period in milliseconds for frequency counters; 0 otherwise.</param>
public readonly record struct DataTypeSpec(StickDataType Type, int ArrayLength, uint PeriodMs)
{
    /// <summary>Static facts about the type.</summary>
    public DataTypeInfo Info => DataTypeCatalogue.Get(Type);
}
