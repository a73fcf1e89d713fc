// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;

namespace Stickpeer.Protocol.Wire;

/// <summary>
/// Converts <c>server_key</c> dictionary values between the bytes on the wire and the .NET
/// string a table stores, without loss: valid UTF-8 becomes ordinary text, and every byte that
/// is not part of valid UTF-8 becomes a lone low surrogate U+DC80..U+DCFF (the "surrogate
/// escape" scheme), which turns back into the same byte on the way out.
/// </summary>
/// <remarks>
/// HAProxy treats a dictionary value as opaque bytes and relays them unchanged. Decoding with
/// <see cref="Encoding.UTF8"/> would replace invalid bytes with U+FFFD, so a peer would learn
/// <c>EF BF BD</c> where its neighbour sent <c>FF</c>; this codec keeps what was received.
/// </remarks>
public static class DictionaryText
{
    private const char EscapeBase = '\uDC00';

    /// <summary>Decodes received bytes; <see cref="GetBytes(string)"/> of the result gives them back.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var sb = new StringBuilder(bytes.Length);
        while (!bytes.IsEmpty)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes, out var rune, out var consumed);
            if (status == System.Buffers.OperationStatus.Done)
            {
                sb.Append(rune.ToString());
            }
            else
            {
                // One invalid byte at a time, so a truncated sequence keeps its following bytes.
                consumed = 1;
                sb.Append((char)(EscapeBase + bytes[0]));
            }

            bytes = bytes[consumed..];
        }

        return sb.ToString();
    }

    /// <summary>Number of bytes <see cref="Write"/> produces for <paramref name="text"/>.</summary>
    public static int GetByteCount(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!HasEscapes(text))
        {
            return Encoding.UTF8.GetByteCount(text);
        }

        var count = 0;
        foreach (var part in Parts(text))
        {
            count += part.IsEscape ? 1 : Encoding.UTF8.GetByteCount(text.AsSpan(part.Start, part.Length));
        }

        return count;
    }

    /// <summary>Writes the wire bytes of <paramref name="text"/>; returns how many were written.</summary>
    public static int Write(string text, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!HasEscapes(text))
        {
            return Encoding.UTF8.GetBytes(text, destination);
        }

        var written = 0;
        foreach (var part in Parts(text))
        {
            if (part.IsEscape)
            {
                destination[written++] = (byte)(text[part.Start] - EscapeBase);
            }
            else
            {
                written += Encoding.UTF8.GetBytes(text.AsSpan(part.Start, part.Length), destination[written..]);
            }
        }

        return written;
    }

    /// <summary>The wire bytes of <paramref name="text"/>.</summary>
    public static byte[] GetBytes(string text)
    {
        var bytes = new byte[GetByteCount(text)];
        Write(text, bytes);
        return bytes;
    }

    private static bool IsEscape(string text, int i) =>
        text[i] is >= '\uDC80' and <= '\uDCFF' && (i == 0 || !char.IsHighSurrogate(text[i - 1]));

    private static bool HasEscapes(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsEscape(text, i))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Splits text into runs of ordinary characters and single escaped bytes.</summary>
    private static List<(int Start, int Length, bool IsEscape)> Parts(string text)
    {
        var parts = new List<(int, int, bool)>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (!IsEscape(text, i))
            {
                continue;
            }

            if (i > start)
            {
                parts.Add((start, i - start, false));
            }

            parts.Add((i, 1, true));
            start = i + 1;
        }

        if (start < text.Length)
        {
            parts.Add((start, text.Length - start, false));
        }

        return parts;
    }
}
