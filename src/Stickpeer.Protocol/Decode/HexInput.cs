// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Decode;

/// <summary>
/// Parses the <c>decode</c> input text: hex bytes separated by any whitespace or colons,
/// <c>#</c> comments to the end of the line, and hex payloads of any length per line as
/// <c>tshark -T fields -e tcp.payload</c> prints them. Every token must hold whole bytes.
/// </summary>
public static class HexInput
{
    /// <summary>Converts the input text to bytes.</summary>
    /// <exception cref="FormatException">A character that is not hex, or a token with an odd number of digits (message names line and column).</exception>
    public static byte[] Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = new List<byte>(text.Length / 2);
        var line = 1;
        var lineStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                lineStart = ++i;
                continue;
            }

            if (char.IsWhiteSpace(c) || c == ':')
            {
                i++;
                continue;
            }

            if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                continue;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != ':' && text[i] != '#')
            {
                var d = text[i];
                if (!char.IsAsciiHexDigit(d))
                {
                    throw new FormatException($"line {line}, column {i - lineStart + 1}: '{d}' is not a hex digit");
                }

                i++;
            }

            if ((i - start) % 2 != 0)
            {
                throw new FormatException($"line {line}, column {start - lineStart + 1}: odd number of hex digits in '{text[start..i]}'");
            }

            for (var j = start; j < i; j += 2)
            {
                bytes.Add((byte)((HexValue(text[j]) << 4) | HexValue(text[j + 1])));
            }
        }

        return bytes.ToArray();
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => c - 'A' + 10,
    };
}
