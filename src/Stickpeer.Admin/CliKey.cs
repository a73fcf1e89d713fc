// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Keys;

namespace Stickpeer.Admin;

/// <summary>
/// The key word of <c>show/set/clear table … key &lt;k&gt;</c>. Besides HAProxy 2.6's forms, an
/// address of the other family is converted as HAProxy 2.9+ does (upstream 8dae361f3): IPv4
/// text in an ipv6 table becomes <c>::ffff:a.b.c.d</c>; IPv6 text in an ip table is accepted
/// when it embeds an IPv4 address (mapped <c>::ffff:a.b.c.d</c>, compatible <c>::a.b.c.d</c>,
/// or 6to4 <c>2002:AABB:CCDD::</c>), and is an invalid key otherwise.
/// </summary>
internal static class CliKey
{
    public static byte[]? Parse(StickTable table, string text)
    {
        var key = StickKeyText.TryParse(table.KeyType, table.Schema.KeySize, text);
        if (key is not null)
        {
            return key;
        }

        switch (table.KeyType)
        {
            case StickKeyType.IPv6 when StickKeyText.TryParse(StickKeyType.IPv4, 4, text) is { } v4:
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
