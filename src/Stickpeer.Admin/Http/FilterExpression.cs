// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Admin.Tables;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Admin.Http;

/// <summary>
/// A <c>filter=</c> of the HTTP API: <c>data.gpc0&gt;5</c> (operators <c>= == != &lt; &lt;= &gt; &gt;=</c>)
/// or the CLI's words <c>data.gpc0 gt 5</c>. Both become the CLI's words and are read by
/// <see cref="TableArguments.TryParseCondition"/>, so the two front ends accept the same names and values.
/// </summary>
internal static class FilterExpression
{
    private static readonly (string Symbol, string Word)[] s_symbols =
    [
        (">=", "ge"), ("<=", "le"), ("!=", "ne"), ("==", "eq"), (">", "gt"), ("<", "lt"), ("=", "eq"),
    ];

    /// <summary>Returns an error message, or null with the condition (null: matches nothing, as an index past the array does).</summary>
    public static string? Parse(StickTable table, string text, out DataCondition? condition)
    {
        condition = null;
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length != 3)
        {
            // Symbol form: split at the first operator character.
            var at = text.IndexOfAny(['<', '>', '=', '!']);
            if (at <= 0)
            {
                return "expected data.<type><op><value>, e.g. data.gpc0>5";
            }

            var (symbol, word) = s_symbols.FirstOrDefault(s => text.AsSpan(at).StartsWith(s.Symbol, StringComparison.Ordinal));
            if (symbol is null)
            {
                return "Require and operator among \"=\", \"!=\", \"<\", \"<=\", \">\", \">=\"";
            }

            words = [text[..at].Trim(), word, text[(at + symbol.Length)..].Trim()];
        }

        return TableArguments.TryParseCondition(table, words[0], words[1], words[2], out condition);
    }
}
