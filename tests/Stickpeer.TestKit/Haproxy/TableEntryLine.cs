// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;

namespace Stickpeer.TestKit.Haproxy;

/// <summary>
/// One entry line of <c>show table</c>:
/// <c>0x…: key=K use=N exp=MS [shard=N] name=value …</c> (data fields in data-type id order).
/// </summary>
public sealed class TableEntryLine
{
    /// <summary>The printed key.</summary>
    public required string Key { get; init; }

    /// <summary>Reference count minus one, as printed.</summary>
    public required int Use { get; init; }

    /// <summary>Milliseconds until expiry, as printed.</summary>
    public required long ExpireMs { get; init; }

    /// <summary>The shard (HAProxy 2.8+ only), or null.</summary>
    public int? Shard { get; init; }

    /// <summary>Data fields in printed order (name as printed, e.g. <c>http_req_rate(10000)</c>, and value).</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Fields { get; init; }

    /// <summary>The value of a printed field, or null.</summary>
    public string? this[string name] => Fields.FirstOrDefault(f => f.Key == name).Value;

    /// <summary>The raw line.</summary>
    public required string Line { get; init; }

    /// <summary>Parses one entry line.</summary>
    public static TableEntryLine Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0)
        {
            throw new FormatException("not a show table entry line: " + line);
        }

        string? key = null;
        int use = 0;
        long exp = 0;
        int? shard = null;
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var token in line[(colon + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = token.StartsWith("key=", StringComparison.Ordinal) ? 3 : token.LastIndexOf('=');
            if (eq <= 0)
            {
                throw new FormatException($"bad field '{token}' in: {line}");
            }

            var name = token[..eq];
            var value = token[(eq + 1)..];
            switch (name)
            {
                case "key" when key is null:
                    key = value;
                    break;
                case "use":
                    use = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "exp":
                    exp = long.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "shard":
                    shard = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                default:
                    fields.Add(KeyValuePair.Create(name, value));
                    break;
            }
        }

        return new TableEntryLine
        {
            Key = key ?? throw new FormatException("no key in: " + line),
            Use = use,
            ExpireMs = exp,
            Shard = shard,
            Fields = fields,
            Line = line,
        };
    }
}
