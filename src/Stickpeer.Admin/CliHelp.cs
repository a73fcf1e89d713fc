// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;

namespace Stickpeer.Admin;

/// <summary>The command list, formatted like HAProxy's <c>help</c> (usage padded to 40 columns).</summary>
internal static class CliHelp
{
    private static readonly (string Usage, string Text, CliLevel Level)[] s_commands =
    [
        ("clear table <table> [<filter>]*", "remove an entry from a table (filter: data/key)", CliLevel.User),
        ("debug gc", "run a full compacting garbage collection, print the managed heap size", CliLevel.Admin),
        ("operator", "lower the level of the current CLI session to operator", CliLevel.Admin),
        ("set table <table> key <k> [data.* <v>]*", "update or create a table entry's data", CliLevel.Operator),
        ("show peers [dict|-] [section]", "dump some information about all the peers or this peers section", CliLevel.User),
        ("show table <table> [<filter>]*", "report table usage stats or dump this table's contents (filter: data/key)", CliLevel.User),
        ("show version", "show version of the current process", CliLevel.User),
        ("user", "lower the level of the current CLI session to user", CliLevel.Operator),
        ("help [<command>]", "list matching or all commands", CliLevel.User),
        ("prompt", "toggle interactive mode with prompt", CliLevel.User),
        ("quit", "disconnect", CliLevel.User),
    ];

    public static string Format(string title, CliLevel level, string? startsWith = null)
    {
        var sb = new StringBuilder(title).Append('\n');
        foreach (var (usage, text, min) in s_commands)
        {
            if (level < min)
            {
                continue;
            }

            if (startsWith is not null && !usage.StartsWith(startsWith, StringComparison.Ordinal))
            {
                continue;
            }

            sb.Append("  ").Append(usage.PadRight(40)).Append(": ").Append(text).Append('\n');
        }

        return sb.ToString();
    }
}
