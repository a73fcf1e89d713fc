// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;

namespace Stickpeer.TestKit.Haproxy;

/// <summary>Builds stats-socket command lines and checks their answers.</summary>
public static class StatsCommands
{
    /// <summary><c>set table &lt;t&gt; key &lt;k&gt; data.&lt;name&gt; &lt;value&gt; …</c>.</summary>
    public static string SetTable(string table, string key, IEnumerable<(string Name, string Value)> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var sb = new StringBuilder().Append("set table ").Append(table).Append(" key ").Append(key);
        foreach (var (name, value) in data)
        {
            sb.Append(" data.").Append(name).Append(' ').Append(value);
        }

        return sb.ToString();
    }

    /// <summary>Throws when a command that prints nothing on success printed something.</summary>
    public static void ThrowOnError(string answer, string table, string key)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Trim().Length != 0)
        {
            throw new InvalidOperationException($"set table {table} key {key} failed: {answer.Trim()}");
        }
    }
}
