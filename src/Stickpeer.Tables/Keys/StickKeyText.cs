// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Stickpeer.Protocol.Text;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Tables.Keys;

/// <summary>
/// Converts keys between text (CLI/config: <c>10.0.0.1</c>, <c>::1</c>, <c>42</c>, strings,
/// binary as hex) and the canonical bytes HAProxy stores (see <see cref="StickKey"/>), and
/// renders them the way <c>show table</c> prints them.
/// </summary>
public static class StickKeyText
{
    /// <summary>
    /// Parses a key. ip: dotted IPv4 only; ipv6: IPv6 text only (an IPv4-mapped address is
    /// written <c>::ffff:a.b.c.d</c>); integer: leading decimal digits as a 32-bit unsigned
    /// number (like HAProxy's CLI, trailing garbage after the digits is ignored); string: UTF-8
    /// bytes truncated to key size − 1; binary: hex digits, zero padded to the key size.
    /// </summary>
    /// <returns>The canonical key, or null when the text is not a valid key of that type.</returns>
    public static byte[]? TryParse(StickKeyType type, int keySize, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (type)
        {
            case StickKeyType.IPv4:
                return text.Contains(':', StringComparison.Ordinal) || !IPAddress.TryParse(text, out var v4) || v4.AddressFamily != AddressFamily.InterNetwork || text.Count(c => c == '.') != 3
                    ? null
                    : v4.GetAddressBytes();
            case StickKeyType.IPv6:
                return !text.Contains(':', StringComparison.Ordinal) || !IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6 || v6.ScopeId != 0
                    ? null
                    : v6.GetAddressBytes();
            case StickKeyType.Integer:
                var digits = 0;
                while (digits < text.Length && char.IsAsciiDigit(text[digits]))
                {
                    digits++;
                }

                if (digits == 0 || !uint.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    return null;
                }

                var key = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(key, n);
                return key;
            case StickKeyType.String:
                var bytes = Encoding.UTF8.GetBytes(text);
                var nul = Array.IndexOf(bytes, (byte)0);
                var max = StickKey.MaxKeyLength(type, keySize);
                var length = Math.Min(nul >= 0 ? nul : bytes.Length, max);
                return bytes.AsSpan(0, length).ToArray();
            case StickKeyType.Binary:
                if (text.Length % 2 != 0 || text.Length / 2 > keySize)
                {
                    return null;
                }

                var raw = new byte[keySize];
                for (var i = 0; i < text.Length / 2; i++)
                {
                    if (!byte.TryParse(text.AsSpan(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out raw[i]))
                    {
                        return null;
                    }
                }

                return raw;
            default:
                return null;
        }
    }

    /// <summary>
    /// Renders a canonical key as <c>show table</c> prints it: dotted IPv4, IPv6 text, unsigned
    /// integer, escaped string (space, '=', '\' and control characters escaped), hex for binary.
    /// </summary>
    public static string Format(StickKeyType type, ReadOnlySpan<byte> key) => type switch
    {
        StickKeyType.IPv4 when key.Length == 4 => new IPAddress(key).ToString(),
        StickKeyType.IPv6 when key.Length == 16 => new IPAddress(key).ToString(),
        StickKeyType.Integer when key.Length == 4 => BinaryPrimitives.ReadUInt32BigEndian(key).ToString(CultureInfo.InvariantCulture),
        StickKeyType.String => PrintableText.Escape(key),
        _ => Convert.ToHexString(key),
    };
}
