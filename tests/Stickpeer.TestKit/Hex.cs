// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;

namespace Stickpeer.TestKit;

/// <summary>Hex helpers for byte vectors written as in <c>peers-vectors.md</c> (<c>0A 82 | 12 …</c>).</summary>
public static class Hex
{
    /// <summary>Parses hex pairs, ignoring spaces and <c>|</c> separators.</summary>
    public static byte[] Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var clean = new string(text.Where(Uri.IsHexDigit).ToArray());
        return Convert.FromHexString(clean);
    }

    /// <summary>Formats bytes as space-separated upper-case hex pairs.</summary>
    public static string Format(ReadOnlySpan<byte> bytes) => string.Join(' ', bytes.ToArray().Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Formats a sequence as space-separated upper-case hex pairs.</summary>
    public static string Format(in ReadOnlySequence<byte> bytes) => Format(bytes.ToArray());
}
