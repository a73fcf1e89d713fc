// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers.Binary;
using Stickpeer.Protocol.Model;
using Stickpeer.Admin.Tables;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Keys;

namespace Stickpeer.Admin;

/// <summary>
/// The key word of <c>show/set/clear table … key &lt;k&gt;</c>. Integer keys are read as the
/// dialect's HAProxy reads them (the two disagree, e.g. on <c>-1</c> and <c> 5</c>). Besides
/// HAProxy 2.6's forms, an
/// address of the other family is converted as HAProxy 2.9+ does (upstream 8dae361f3): IPv4
/// text in an ipv6 table becomes <c>::ffff:a.b.c.d</c>; IPv6 text in an ip table is accepted
/// when it embeds an IPv4 address (mapped <c>::ffff:a.b.c.d</c>, compatible <c>::a.b.c.d</c>,
/// or 6to4 <c>2002:AABB:CCDD::</c>), and is an invalid key otherwise.
/// </summary>
internal static class CliKey
{
    public static byte[]? Parse(StickTable table, string text, CliDialect dialect)
    {
        if (table.KeyType == StickKeyType.Integer)
        {
            var value = dialect == CliDialect.Haproxy26 ? ParseInteger26(text) : ParseInteger3(text);
            if (value is not { } v)
            {
                return null;
            }

            var bytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, v);
            return bytes;
        }

        var key = table.KeyType == StickKeyType.IPv4 ? DottedQuad(text) : StickKeyText.TryParse(table.KeyType, table.Schema.KeySize, text);
        if (key is not null)
        {
            return key;
        }

        switch (table.KeyType)
        {
            case StickKeyType.IPv6 when DottedQuad(text) is { } v4:
                var mapped = new byte[16];
                mapped[10] = 0xFF;
                mapped[11] = 0xFF;
                v4.CopyTo(mapped, 12);
                return mapped;
            case StickKeyType.IPv4 when StickKeyText.TryParse(StickKeyType.IPv6, 16, text) is { } v6:
                return EmbeddedIPv4(v6);
            default:
                return null;
        }
    }

    /// <summary>
    /// HAProxy 2.6: C <c>strtoul</c> in base 10 (leading blanks and a sign allowed, trailing
    /// junk ignored), refused when no digit was read, on overflow, or above 2³²−1 (so a
    /// negative number other than −0 is refused, strtoul having wrapped it).
    /// </summary>
    private static uint? ParseInteger26(string text)
    {
        var i = 0;
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r')
        {
            i++;
        }

        var negative = i < text.Length && text[i] == '-';
        if (i < text.Length && text[i] is '+' or '-')
        {
            i++;
        }

        var start = i;
        ulong value = 0;
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
        {
            var digit = (ulong)(text[i] - '0');
            if (value > (ulong.MaxValue - digit) / 10)
            {
                return null;
            }

            value = (value * 10) + digit;
        }

        if (i == start)
        {
            return null;
        }

        value = negative ? unchecked(0 - value) : value;
        return value > uint.MaxValue ? null : (uint)value;
    }

    /// <summary>
    /// HAProxy 2.9+ (the CLI key goes through the string-to-integer sample cast): an optional
    /// sign, then the digits up to the first other character (none reads as 0), saturated to
    /// a signed 64-bit value, of which the table keeps the low 32 bits. So <c>-1</c> is
    /// 4294967295 and <c>4294967296</c> is 0.
    /// </summary>
    private static uint ParseInteger3(string text)
    {
        var i = 0;
        var negative = text.Length > 0 && text[0] == '-';
        if (text.Length > 0 && text[0] is '+' or '-')
        {
            i++;
        }

        ulong magnitude = 0;
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
        {
            var digit = (ulong)(text[i] - '0');
            if (magnitude > (ulong.MaxValue - digit) / 10)
            {
                magnitude = ulong.MaxValue;
                break;
            }

            magnitude = (magnitude * 10) + digit;
        }

        long value = negative
            ? (magnitude > 1UL << 63 ? long.MinValue : unchecked(-(long)magnitude))
            : (magnitude > long.MaxValue ? long.MaxValue : (long)magnitude);
        return unchecked((uint)value);
    }

    /// <summary>
    /// An IPv4 address as HAProxy 3.x reads a CLI key: four decimal octets of at most 255
    /// (leading zeros are decimal, not octal), read up to the first character that is neither
    /// a digit nor a dot, which ends the address. HAProxy 2.6 accepted more (<c>1.2.3</c> as
    /// 1.2.3.0, <c>1.2.3.256</c> as 1.2.4.0, host names through the resolver); those stay
    /// invalid keys here.
    /// </summary>
    private static byte[]? DottedQuad(string text)
    {
        var octets = new byte[4];
        return DottedQuad(text, octets) ? octets : null;
    }

    /// <summary>The same, into <paramref name="octets"/> (4 bytes), for the CLI's fast path (no allocation).</summary>
    internal static bool DottedQuad(ReadOnlySpan<char> text, Span<byte> octets)
    {
        var count = 0;
        var inOctet = false;
        var value = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                value = (inOctet ? value * 10 : 0) + (c - '0');
                if (value > 255 || (!inOctet && ++count > 4))
                {
                    return false;
                }

                octets[count - 1] = (byte)value;
                inOctet = true;
            }
            else if (c == '.' && inOctet && count < 4)
            {
                inOctet = false;
            }
            else if (c == '.')
            {
                return false;
            }
            else
            {
                break;
            }
        }

        return count == 4 && inOctet;
    }

    private static byte[]? EmbeddedIPv4(byte[] v6)
    {
        var zeroPrefix = v6.AsSpan(0, 8).IndexOfAnyExcept((byte)0) < 0;
        if (zeroPrefix && (v6.AsSpan(8, 4).SequenceEqual((ReadOnlySpan<byte>)[0, 0, 0xFF, 0xFF]) || v6.AsSpan(8, 4).IndexOfAnyExcept((byte)0) < 0))
        {
            return v6[12..16];
        }

        return v6[0] == 0x20 && v6[1] == 0x02 ? v6[2..6] : null;
    }
}
