// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Tables.Engine;

/// <summary>
/// A filter on one numeric value (rates compare their current read value), like
/// <c>show table t data.gpc0 gt 5</c>.
/// </summary>
/// <param name="Type">The data type (must be stored and numeric).</param>
/// <param name="Index">The array index.</param>
/// <param name="Operator">The comparison.</param>
/// <param name="Value">The value compared against.</param>
public readonly record struct DataCondition(StickDataType Type, int Index, FilterOperator Operator, long Value)
{
    /// <summary>True when <paramref name="actual"/> satisfies the condition.</summary>
    public bool Matches(long actual) => Operator switch
    {
        FilterOperator.Eq => actual == Value,
        FilterOperator.Ne => actual != Value,
        FilterOperator.Le => actual <= Value,
        FilterOperator.Ge => actual >= Value,
        FilterOperator.Lt => actual < Value,
        _ => actual > Value,
    };
}
