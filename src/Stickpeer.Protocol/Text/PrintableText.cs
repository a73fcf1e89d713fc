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
    // Characters Escape leaves as they are: printable ASCII except space, '=' and '\\'.
    private static readonly System.Buffers.SearchValues<char> s_plain = System.Buffers.SearchValues.Create(
        "!\"#$%&'()*+,-./0123456789:;<>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>True when <see cref="Escape"/> would change the UTF-8 bytes of <paramref name="text"/> (checked without encoding it).</summary>
    public static bool NeedsEscape(ReadOnlySpan<char> text) => text.ContainsAnyExcept(s_plain);

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

    /// <summary>
    /// For free text a peer chose (a certificate's subject or issuer) in one log line: control
    /// characters (C0, DEL, C1) become <c>\xHH</c> / <c>\uHHHH</c> and a backslash is doubled; every
    /// other character, non-ASCII names included, stays readable.
    /// </summary>
    public static string EscapeControls(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(c => char.IsControl(c) || c == '\\'))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c == '\\')
            {
                sb.Append(@"\\");
            }
            else if (c < 0x80 && char.IsControl(c))
            {
                sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else if (char.IsControl(c))
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
