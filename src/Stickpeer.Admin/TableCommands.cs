// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text;
using Stickpeer.Protocol.Model;
using Stickpeer.Admin.Tables;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Admin;

/// <summary>
/// <c>show table</c>, <c>set table</c> and <c>clear table</c>, with HAProxy 2.6's messages, plus
/// HAProxy 3.2's <c>data.&lt;array&gt;[&lt;idx&gt;]</c> words and its index error.
/// </summary>
internal static partial class TableCommands
{
    private const int MaxFilters = 4;

    private enum Action
    {
        Show,
        Set,
        Clear,
    }

    public static string Show(AdminContext context, List<string> words)
    {
        if (words.Count < 3)
        {
            return context.Invoke(() =>
            {
                var sb = new StringBuilder();
                var tables = context.Tables.Tables;

                // HAProxy lists tables in reverse declaration order.
                for (var i = tables.Count - 1; i >= 0; i--)
                {
                    tables[i].Sweep();
                    sb.Append(ShowTableFormatter.FormatHeader(tables[i]));
                }

                return sb.ToString();
            });
        }

        return Run(context, words, Action.Show);
    }

    public static string Set(AdminContext context, List<string> words) => Run(context, words, Action.Set);

    public static string Clear(AdminContext context, List<string> words) => Run(context, words, Action.Clear);

    private static string Run(AdminContext context, List<string> words, Action action)
    {
        if (words.Count < 3)
        {
            return "Optional table name expected\n";
        }

        return context.Invoke(() =>
        {
            if (!context.Tables.TryGetByLocalName(words[2], out var table))
            {
                return "No such table\n";
            }

            var arg = words.Count > 3 ? words[3] : string.Empty;
            var dialect = context.CliDialect;
            if (arg == "key")
            {
                return ByKey(table, words, action, dialect);
            }

            if (arg == "ptr")
            {
                return ByPointer(table, words, action, dialect);
            }

            if (arg.StartsWith("data.", StringComparison.Ordinal))
            {
                if (action == Action.Set)
                {
                    return "content-based lookup is only supported with the \"show\" and \"clear\" actions\n";
                }

                return ByData(table, words, action, dialect);
            }

            if (arg.Length == 0)
            {
                switch (action)
                {
                    case Action.Show:
                        return Dump(table, null, dialect);
                    case Action.Clear:
                        table.Clear();
                        return string.Empty;
                    default:
                        return string.Empty;
                }
            }

            // 3.0 added "ptr <ptr>" (upstream 9b2717e7b) and names it in these messages.
            return (action, dialect) switch
            {
                (Action.Show, CliDialect.Haproxy26) => "Optional argument only supports \"data.<store_data_type>\" <operator> <value> and key <key>\n",
                (Action.Show, _) => "Optional argument only supports \"data.<store_data_type>\" <operator> <value> or key <key> or ptr <ptr>\n",
                (Action.Clear, CliDialect.Haproxy26) => "Required arguments: <table> \"data.<store_data_type>\" <operator> <value> or <table> key <key>\n",
                (Action.Clear, _) => "Required arguments: <table> \"data.<store_data_type>\" <operator> <value> or <table> key <key> or <table> ptr <ptr>\n",
                (_, CliDialect.Haproxy26) => "Required arguments: <table> key <key> [data.<store_data_type> <value>]*\n",
                _ => "Required arguments: <table> key <key> [data.<store_data_type> <value>]* or <table> ptr <ptr> [data.<store_data_type> <value>]*\n",
            };
        });
    }

    private static string ByKey(StickTable table, List<string> words, Action action, CliDialect dialect)
    {
        if (words.Count < 5)
        {
            return "Key value expected\n";
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

        var key = CliKey.Parse(table, words[4], dialect);
        if (key is null)
        {
            // 2.6 read IPv4 keys with a parser that never fails, so show/clear of a bad IPv4
            // address just found nothing; 2.9+ says "Invalid key" for every type and action.
            var silent = dialect == CliDialect.Haproxy26 && action != Action.Set && table.KeyType == StickKeyType.IPv4;
            return silent ? string.Empty : "Invalid key\n";
        }

        switch (action)
        {
            case Action.Show:
                table.Sweep();
                return table.TryGetSnapshot(key, out var snapshot)
                    ? ShowTableFormatter.FormatHeader(table) + ShowTableFormatter.FormatEntry(table, snapshot, dialect)
                    : string.Empty;
            case Action.Clear:
                return table.Remove(key) == RemoveResult.InUse ? "Entry currently in use, cannot remove\n" : string.Empty;
            default:
                return SetEntry(table, key, words);
        }
    }

    private static string SetEntry(StickTable table, byte[] key, List<string> words)
    {
        var assignments = new List<DataAssignment>();
        for (var i = 5; i < words.Count; i += 2)
        {
            if (TableArguments.TryParseAssignment(table, words[i], i + 1 < words.Count ? words[i + 1] : null, out var assignment) is { } error)
            {
                return error + "\n";
            }

            assignments.Add(assignment);
        }

        return SetAnswer(table.Set(key, assignments.ToArray()));
    }

    /// <summary>What <c>set table</c> answers for the table's verdict on the write.</summary>
    public static string SetAnswer(LocalUpdateStatus status) => status switch
    {
        LocalUpdateStatus.TableFull => "Unable to allocate a new entry\n",
        LocalUpdateStatus.InvalidKey => "Invalid key\n",
        _ => string.Empty,
    };

    private static string ByData(StickTable table, List<string> words, Action action, CliDialect dialect)
    {
        var conditions = new List<DataCondition>();

        // An element past the end of the stored array is no error: HAProxy 3.2+ lets the filter
        // match no entry (so show prints the header only and clear removes nothing).
        var matchesNothing = false;
        for (int n = 1, i = 3; i < words.Count && n <= MaxFilters; n++, i += 3)
        {
            var error = TableArguments.TryParseCondition(
                table, words[i], i + 1 < words.Count ? words[i + 1] : null, i + 2 < words.Count ? words[i + 2] : null, out var condition);
            if (error is not null)
            {
                return $"Filter entry #{n}: {error}\n";
            }

            if (condition is { } c)
            {
                conditions.Add(c);
            }
            else
            {
                matchesNothing = true;
            }
        }

        var extra = 3 + (3 * MaxFilters);
        if (words.Count > extra)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Detected extra data in filter, {extra + 1}th word of input, after '{words[extra - 1]}'\n");
        }

        if (matchesNothing)
        {
            if (action == Action.Clear)
            {
                return string.Empty;
            }

            table.Sweep();
            return ShowTableFormatter.FormatHeader(table);
        }

        var filter = new EntryFilter { Conditions = conditions };
        if (action == Action.Clear)
        {
            table.Clear(filter);
            return string.Empty;
        }

        return Dump(table, filter, dialect);
    }

    private static string Dump(StickTable table, EntryFilter? filter, CliDialect dialect)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        ShowTableFormatter.WriteTable(writer, table, filter, dialect);
        return writer.ToString();
    }
}
