// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Admin.Tables;

/// <summary>
/// The <c>data.&lt;type&gt;</c> arguments of <c>set table</c> (assignments) and of <c>show/clear
/// table</c> filters, read once for both the CLI and the HTTP API. Errors are HAProxy 2.6's CLI
/// messages (without the trailing newline and the <c>Filter entry #n: </c> prefix), so both front
/// ends say the same thing about the same mistake.
/// </summary>
internal static class TableArguments
{
    /// <summary>Reads <c>data.&lt;type&gt; &lt;value&gt;</c> for <c>set table</c>; returns an error message or null.</summary>
    /// <param name="table">The table written.</param>
    /// <param name="word">The whole word, <c>data.</c> included.</param>
    /// <param name="value">The value word, null when missing.</param>
    /// <param name="assignment">The assignment read.</param>
    public static string? TryParseAssignment(StickTable table, string word, string? value, out DataAssignment assignment)
    {
        assignment = default;
        if (!word.StartsWith("data.", StringComparison.Ordinal))
        {
            return "\"data.<type>\" followed by a value expected";
        }

        if (!CliDataName.TryParse(word[5..], out var info, out var index))
        {
            return "Unknown data type";
        }

        return TryParseAssignment(table, info, index, value, value is not null, out assignment);
    }

    /// <summary>
    /// The checks of <c>data.&lt;type&gt; &lt;value&gt;</c> once the type is known, in HAProxy's
    /// order; the CLI's fast path calls this with the value's characters in place (no string).
    /// </summary>
    public static string? TryParseAssignment(StickTable table, DataTypeInfo info, uint index, ReadOnlySpan<char> value, bool hasValue, out DataAssignment assignment)
    {
        assignment = default;
        if (!table.Schema.Stores(info.Type))
        {
            return "Data type not stored in this table";
        }

        if (!hasValue || info.Encoding == DataEncoding.Dictionary
            || !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return "Require a valid integer value to store";
        }

        // HAProxy 3.2+ checks the index last, after the value (its message, verbatim).
        if (index >= (uint)ArrayLength(table, info.Type))
        {
            return "index out of range in this data array";
        }

        assignment = new DataAssignment(info.Type, (int)index, number);
        return null;
    }

    /// <summary>
    /// Reads one filter <c>data.&lt;type&gt; &lt;op&gt; &lt;value&gt;</c>; returns an error message or null.
    /// <paramref name="condition"/> is null (with no error) for an array element past the end of the
    /// stored array: HAProxy 3.2+ lets such a filter match no entry.
    /// </summary>
    public static string? TryParseCondition(StickTable table, string word, string? op, string? value, out DataCondition? condition)
    {
        condition = null;
        if (!word.StartsWith("data.", StringComparison.Ordinal) || !CliDataName.TryParse(word[5..], out var info, out var index))
        {
            return "Unknown data type";
        }

        if (!table.Schema.Stores(info.Type))
        {
            return "Data type not stored in this table";
        }

        if (ParseOperator(op) is not { } parsed)
        {
            return "Require and operator among \"eq\", \"ne\", \"le\", \"ge\", \"lt\", \"gt\"";
        }

        if (value is null || info.Encoding == DataEncoding.Dictionary
            || !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return "Require a valid integer value to compare against";
        }

        if (index < (uint)ArrayLength(table, info.Type))
        {
            condition = new DataCondition(info.Type, (int)index, parsed, number);
        }

        return null;
    }

    /// <summary>HAProxy's operator words.</summary>
    public static FilterOperator? ParseOperator(string? word) => word switch
    {
        "eq" => FilterOperator.Eq,
        "ne" => FilterOperator.Ne,
        "le" => FilterOperator.Le,
        "ge" => FilterOperator.Ge,
        "lt" => FilterOperator.Lt,
        "gt" => FilterOperator.Gt,
        _ => null,
    };

    private static int ArrayLength(StickTable table, StickDataType type) =>
        table.Schema.TryGet(type, out var spec) ? spec.ArrayLength : 0;
}
