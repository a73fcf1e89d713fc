// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.CodeAnalysis;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Admin;

/// <summary>
/// The <c>&lt;type&gt;</c> of a CLI <c>data.&lt;type&gt;</c> word: a data type name as in HAProxy 2.6
/// (<c>gpc0</c>, <c>gpt</c> = element 0, <c>server_name</c> for <c>server_key</c>), or HAProxy
/// 3.2's array element form <c>&lt;array&gt;[&lt;idx&gt;]</c> (<c>gpc[1]</c>, <c>gpc_rate[3]</c>).
/// </summary>
/// <remarks>
/// The index is read the way HAProxy 3.2+ reads it (C <c>strtoul</c> in base 10, kept in a
/// 32-bit unsigned int): leading blanks and a sign are allowed, overflow saturates and is then
/// cut to 32 bits, and nothing may follow the <c>]</c>. Unlike HAProxy, the array name must be
/// spelled in full: HAProxy compares only the characters before <c>[</c> with the start of each
/// array name, so it also takes <c>data.g[1]</c> as <c>gpt[1]</c>; that is a typo trap, not an
/// interface, and such a word is an unknown data type here.
/// </remarks>
internal readonly record struct CliDataName(DataTypeInfo Info, uint Index)
{
    /// <summary>Parses the part after <c>data.</c>; false means HAProxy's "Unknown data type".</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out DataTypeInfo? info, out uint index)
    {
        ArgumentNullException.ThrowIfNull(text);
        index = 0;
        var open = text.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            return DataTypeCatalogue.TryGetByName(text, out info);
        }

        if (!DataTypeCatalogue.TryGetByName(text[..open], out info) || !info.IsArray
            || !TryParseIndex(text.AsSpan(open + 1), out index))
        {
            info = null;
            return false;
        }

        return true;
    }

    /// <summary>Reads <c>&lt;digits&gt;]</c> with <c>strtoul</c> rules, then the 32-bit cut.</summary>
    private static bool TryParseIndex(ReadOnlySpan<char> s, out uint index)
    {
        index = 0;
        var i = 0;
        while (i < s.Length && s[i] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r')
        {
            i++;
        }

        var negative = false;
        if (i < s.Length && s[i] is '+' or '-')
        {
            negative = s[i] == '-';
            i++;
        }

        var start = i;
        ulong value = 0;
        var overflow = false;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            var digit = (ulong)(s[i] - '0');
            if (value > (ulong.MaxValue - digit) / 10)
            {
                overflow = true;
            }
            else
            {
                value = (value * 10) + digit;
            }
        }

        // No digit: strtoul consumed nothing, which HAProxy rejects. Then exactly "]" must remain.
        if (i == start || i != s.Length - 1 || s[i] != ']')
        {
            return false;
        }

        if (overflow)
        {
            value = ulong.MaxValue;
        }
        else if (negative)
        {
            value = unchecked(0 - value);
        }

        index = unchecked((uint)value);
        return true;
    }
}
