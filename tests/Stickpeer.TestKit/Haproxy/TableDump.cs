// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text.RegularExpressions;

namespace Stickpeer.TestKit.Haproxy;

/// <summary>One table of a <c>show table</c> answer: its header and entry lines.</summary>
public sealed partial class TableDump
{
    /// <summary>Table name as the CLI prints it (<c>mypeers/t1</c> for a peers-section table).</summary>
    public required string Name { get; init; }

    /// <summary>Key type as printed (<c>ip</c>, <c>ipv6</c>, <c>integer</c>, <c>string</c>, <c>binary</c>).</summary>
    public required string KeyType { get; init; }

    /// <summary>Configured size.</summary>
    public required long Size { get; init; }

    /// <summary>Entries in use.</summary>
    public required long Used { get; init; }

    /// <summary>Entry lines (empty when the dump had only headers).</summary>
    public required IReadOnlyList<TableEntryLine> Entries { get; init; }

    /// <summary>Finds the entry with the given printed key, or null.</summary>
    public TableEntryLine? Find(string key) => Entries.FirstOrDefault(e => e.Key == key);

    /// <summary>Parses a <c>show table</c> answer (one or many tables).</summary>
    public static IReadOnlyList<TableDump> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<TableDump>();
        string? name = null, type = null;
        long size = 0, used = 0;
        var entries = new List<TableEntryLine>();

        void Flush()
        {
            if (name is not null)
            {
                result.Add(new TableDump { Name = name, KeyType = type!, Size = size, Used = used, Entries = entries });
            }
        }

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var header = HeaderRegex().Match(line);
            if (header.Success)
            {
                Flush();
                name = header.Groups["name"].Value;
                type = header.Groups["type"].Value;
                size = long.Parse(header.Groups["size"].Value, CultureInfo.InvariantCulture);
                used = long.Parse(header.Groups["used"].Value, CultureInfo.InvariantCulture);
                entries = [];
                continue;
            }

            if (name is not null && line.StartsWith("0x", StringComparison.Ordinal))
            {
                entries.Add(TableEntryLine.Parse(line));
                continue;
            }

            throw new FormatException("unexpected line in show table output: " + line);
        }

        Flush();
        return result;
    }

    [GeneratedRegex(@"^# table: (?<name>[^,]+), type: (?<type>[^,]+), size:(?<size>\d+), used:(?<used>\d+)")]
    private static partial Regex HeaderRegex();
}
