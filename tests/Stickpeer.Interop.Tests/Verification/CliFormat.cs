// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Interop.Tests.Verification;

/// <summary>How HAProxy 2.6's <c>show table</c> prints keys, table names and field names.</summary>
internal static class CliFormat
{
    /// <summary>Network name → CLI name: <c>/t</c> (peers-section table) → <c>mypeers/t</c>; proxy tables keep their name.</summary>
    public static string TableName(string networkName, string peersSection) =>
        networkName.StartsWith('/') ? peersSection + networkName : networkName;

    public static string Key(StickKeyType type, ReadOnlySpan<byte> key) => type switch
    {
        StickKeyType.Integer => BinaryPrimitives.ReadUInt32BigEndian(key).ToString(CultureInfo.InvariantCulture),
        StickKeyType.IPv4 or StickKeyType.IPv6 => new IPAddress(key).ToString(),
        StickKeyType.String => Encoding.ASCII.GetString(key),
        _ => Convert.ToHexString(key),
    };

    /// <summary>The printed field name of element <paramref name="index"/> of a data type.</summary>
    public static string FieldName(DataTypeSpec spec, int index)
    {
        var info = spec.Info;
        var name = info.Name;
        if (info.IsArray)
        {
            // The index goes before the first '_' (gpc_rate → gpc0_rate), or at the end.
            var us = name.IndexOf('_', StringComparison.Ordinal);
            var i = index.ToString(CultureInfo.InvariantCulture);
            name = us < 0 ? name + i : name[..us] + i + name[us..];
        }

        return info.HasPeriod ? string.Create(CultureInfo.InvariantCulture, $"{name}({spec.PeriodMs})") : name;
    }
}
