// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text;

namespace Stickpeer.Protocol.Text;

/// <summary>
/// Renders bytes a peer controls (string keys, <c>server_key</c> values, hello lines) as one
/// line of printable ASCII, so no peer can forge a line in the CLI's output or the log: space,
/// <c>=</c> and <c>\</c> are backslash-escaped, tab/CR/LF/ESC get their C escapes, and every
/// other byte outside 0x21..0x7e becomes <c>\xHH</c> (the escaping HAProxy's <c>show table</c>
/// applies to string keys).
/// </summary>
public static class PrintableText
{
    /// <summary>Escapes <paramref name="bytes"/> as described on the type.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length + 8);
        foreach (var b in bytes)
        {
            switch (b)
            {
                case (byte)' ':
                case (byte)'=':
                case (byte)'\\':
                    sb.Append('\\').Append((char)b);
                    break;
                case (byte)'\t':
                    sb.Append("\\t");
                    break;
                case (byte)'\n':
                    sb.Append("\\n");
                    break;
                case (byte)'\r':
                    sb.Append("\\r");
                    break;
                case 0x1b:
                    sb.Append("\\e");
                    break;
                default:
                    if (b < 0x20 || b >= 0x7f)
                    {
                        sb.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append((char)b);
                    }

                    break;
            }
        }

        return sb.ToString();
    }
}
