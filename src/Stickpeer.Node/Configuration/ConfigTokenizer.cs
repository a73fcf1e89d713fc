// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text;

namespace Stickpeer.Node.Configuration;

/// <summary>
/// Splits one line of an HAProxy configuration file into words, the way HAProxy does:
/// blanks separate words, <c>#</c> starts a comment, single quotes keep everything literal,
/// double quotes allow backslash escapes and <c>"${VAR}"</c> environment expansion, and a
/// backslash outside single quotes escapes the next character.
/// </summary>
public static class ConfigTokenizer
{
    /// <summary>Tokenizes <paramref name="line"/>; returns false with a message on a malformed line.</summary>
    public static bool TryTokenize(
        string line,
        Func<string, string?> environment,
        out List<string> words,
        out string? error)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(environment);
        words = [];
        error = null;
        var current = new StringBuilder();
        var inWord = false;
        var quote = '\0';
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (quote == '\'')
            {
                if (c == '\'')
                {
                    quote = '\0';
                }
                else
                {
                    current.Append(c);
                }

                i++;
                continue;
            }

            if (quote == '\0' && (c == ' ' || c == '\t' || c == '\r' || c == '\n'))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }

                i++;
                continue;
            }

            if (quote == '\0' && c == '#')
            {
                break;
            }

            inWord = true;
            switch (c)
            {
                case '\'' when quote == '\0':
                    quote = '\'';
                    i++;
                    break;
                case '"':
                    quote = quote == '"' ? '\0' : '"';
                    i++;
                    break;
                case '\\':
                    if (!TryEscape(line, ref i, current, out error))
                    {
                        return false;
                    }

                    break;
                case '$' when quote == '"' && i + 1 < line.Length && line[i + 1] == '{':
                    if (!TryExpand(line, ref i, current, environment, out error))
                    {
                        return false;
                    }

                    break;
                default:
                    current.Append(c);
                    i++;
                    break;
            }
        }

        if (quote != '\0')
        {
            error = quote == '"' ? "unmatched double quote" : "unmatched single quote";
            return false;
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return true;
    }

    private static bool TryEscape(string line, ref int i, StringBuilder current, out string? error)
    {
        error = null;
        if (i + 1 >= line.Length)
        {
            // A trailing backslash is kept literally (HAProxy has no line continuation).
            current.Append('\\');
            i++;
            return true;
        }

        var next = line[i + 1];
        switch (next)
        {
            case ' ' or '\t' or '\\' or '#' or '\'' or '"' or '$':
                current.Append(next);
                i += 2;
                return true;
            case 'r':
                current.Append('\r');
                i += 2;
                return true;
            case 'n':
                current.Append('\n');
                i += 2;
                return true;
            case 't':
                current.Append('\t');
                i += 2;
                return true;
            case 'x':
                if (i + 3 < line.Length
                    && byte.TryParse(line.AsSpan(i + 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                {
                    current.Append((char)b);
                    i += 4;
                    return true;
                }

                error = "truncated or invalid hexadecimal sequence";
                return false;
            default:
                current.Append('\\');
                i++;
                return true;
        }
    }

    private static bool TryExpand(string line, ref int i, StringBuilder current, Func<string, string?> environment, out string? error)
    {
        error = null;
        var close = line.IndexOf('}', i + 2);
        if (close < 0)
        {
            error = "missing closing '}' in environment variable reference";
            return false;
        }

        var body = line.AsSpan(i + 2, close - i - 2);
        string? fallback = null;
        var dash = body.IndexOf('-');
        if (dash >= 0)
        {
            fallback = body[(dash + 1)..].ToString();
            body = body[..dash];
        }

        if (body.IsEmpty || !IsVariableName(body))
        {
            error = $"invalid environment variable name '{body}'";
            return false;
        }

        var value = environment(body.ToString());
        current.Append(value ?? fallback ?? string.Empty);
        i = close + 1;
        return true;
    }

    private static bool IsVariableName(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
