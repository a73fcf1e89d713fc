// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text;
using Stickpeer.Protocol.Text;
using Stickpeer.Protocol.Wire;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Declaration;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Keys;

namespace Stickpeer.Admin.Tables;

/// <summary>
/// Formats tables and entries exactly like HAProxy's <c>show table</c>:
/// <c># table: NAME, type: KW, size:N, used:M</c> and
/// <c>0x…: key=K use=U exp=MS name=value …</c> (2.6) or <c>0x…: key=K use=U exp=MS shard=S name=value …</c>
/// (2.7 and later, see <see cref="CliDialect"/>) with values in data-type id order, rates as
/// <c>name(period)=rate</c>, arrays expanded with the index before the first underscore
/// (<c>gpc0</c>, <c>gpc0_rate(60000)</c>, <c>gpt1</c>) and <c>server_key=NAME</c> or <c>-</c>.
/// Lines end with <c>\n</c>; the CLI's terminating empty line is the caller's.
/// </summary>
public static class ShowTableFormatter
{
    /// <summary>The header line of a table.</summary>
    public static string FormatHeader(StickTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return string.Create(CultureInfo.InvariantCulture,
            $"# table: {table.Name}, type: {StickTableDeclaration.KeyTypeKeyword(table.KeyType)}, size:{table.Size}, used:{table.Count}\n");
    }

    /// <summary>The line of one entry.</summary>
    public static string FormatEntry(StickTable table, StickEntrySnapshot entry, CliDialect dialect = CliDialect.Haproxy26)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(entry);
        var sb = new StringBuilder(128);
        var ci = CultureInfo.InvariantCulture;
        sb.Append("0x").Append(entry.Handle.ToString("x", ci)).Append(": key=").Append(StickKeyText.Format(table.KeyType, entry.Key))
          .Append(" use=").Append(entry.RefCount.ToString(ci))
          .Append(" exp=").Append(entry.ExpireMs.ToString(ci));
        if (dialect == CliDialect.Haproxy3)
        {
            // HAProxy numbers shards from 1 only when the peers section sets "shards"; Stickpeer
            // does not implement shards, so every entry is in HAProxy's "no shard", 0.
            sb.Append(" shard=0");
        }
        foreach (var spec in table.Schema.DataTypes)
        {
            var info = spec.Info;
            var values = entry.Values.Of(spec.Type);
            if (info.Encoding == DataEncoding.Dictionary)
            {
                // A peer chooses these bytes: escape them like string keys so none can break the line.
                var text = values[0].Text;
                sb.Append(' ').Append(info.Name).Append('=');
                if (text is null)
                {
                    sb.Append('-');
                }
                else
                {
                    // Server names are plain ASCII: only other text pays for encoding and escaping.
                    sb.Append(PrintableText.NeedsEscape(text) ? PrintableText.Escape(DictionaryText.GetBytes(text)) : text);
                }
                continue;
            }

            var underscore = info.Name.IndexOf('_', StringComparison.Ordinal);
            var prefix = info.IsArray && underscore >= 0 ? info.Name[..underscore] : info.Name;
            var suffix = info.IsArray && underscore >= 0 ? info.Name[underscore..] : string.Empty;
            for (var i = 0; i < values.Length; i++)
            {
                sb.Append(' ').Append(prefix);
                if (info.IsArray)
                {
                    sb.Append(i.ToString(ci)).Append(suffix);
                }

                if (info.HasPeriod)
                {
                    sb.Append('(').Append(spec.PeriodMs.ToString(ci)).Append(')');
                }

                sb.Append('=').Append(table.ValueOf(entry, spec.Type, i).ToString(ci));
            }
        }

        return sb.Append('\n').ToString();
    }

    /// <summary>Writes the header then every matching entry (expired entries are swept first).</summary>
    public static void WriteTable(TextWriter writer, StickTable table, EntryFilter? filter = null, CliDialect dialect = CliDialect.Haproxy26)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(table);
        table.Sweep();
        writer.Write(FormatHeader(table));
        foreach (var entry in table.Enumerate(filter))
        {
            writer.Write(FormatEntry(table, entry, dialect));
        }
    }
}
