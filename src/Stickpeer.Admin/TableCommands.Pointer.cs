// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Globalization;
using Stickpeer.Protocol.Model;
using Stickpeer.Admin.Tables;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Admin;

/// <summary>
/// <c>show/set/clear table &lt;t&gt; ptr 0x…</c>: HAProxy 3.0's way to name an entry by the
/// address <c>show table</c> printed (upstream 9b2717e7b), with its messages. Stickpeer's
/// printed addresses are entry handles, so the same round trip works.
/// </summary>
internal static partial class TableCommands
{
    private static readonly SearchValues<char> s_hexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private static string ByPointer(StickTable table, List<string> words, Action action, CliDialect dialect)
    {
        var text = words.Count > 4 ? words[4] : string.Empty;
        if (!text.StartsWith("0x", StringComparison.Ordinal))
        {
            return "Pointer expected (0xffff notation)\n";
        }

        // HAProxy reads it with strtoul(…, 16): hex digits after "0x" and nothing else; an
        // overflow saturates, which then names no entry.
        var digits = text.AsSpan(2);
        if (digits.Length == 0 || digits.ContainsAnyExcept(s_hexDigits))
        {
            return "Malformed ptr.\n";
        }

        if (!ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var handle))
        {
            handle = ulong.MaxValue;
        }

        if (!table.TryGetByHandle(handle, out var entry))
        {
            return "No entry can be found matching ptr.\n";
        }

        if (table.KeyType == StickKeyType.Binary)
        {
            return action switch
            {
                Action.Show => "Showing keys from tables of type other than ip, ipv6, string and integer is not supported\n",
                Action.Clear => "Removing keys from tables of type other than ip, ipv6, string and integer is not supported\n",
                _ => "Inserting keys into tables of type other than ip, ipv6, string and integer is not supported\n",
            };
        }

        return action switch
        {
            Action.Show => ShowTableFormatter.FormatHeader(table) + ShowTableFormatter.FormatEntry(table, entry, dialect),
            Action.Clear => table.Remove(entry.Key) == RemoveResult.InUse ? "Entry currently in use, cannot remove\n" : string.Empty,
            _ => SetEntry(table, entry.Key, words),
        };
    }
}
