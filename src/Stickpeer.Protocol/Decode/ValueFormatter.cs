// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Protocol.Decode;

/// <summary>Formats keys and values of decoded updates for the <c>decode</c> output.</summary>
public static class ValueFormatter
{
    /// <summary>Formats canonical key bytes for a key type (string quoted and escaped, binary as hex).</summary>
    public static string FormatKey(StickKeyType type, ReadOnlySpan<byte> key) => type switch
    {
        StickKeyType.Integer when key.Length == 4 => BinaryPrimitives.ReadUInt32BigEndian(key).ToString(CultureInfo.InvariantCulture),
        StickKeyType.IPv4 when key.Length == 4 => new IPAddress(key).ToString(),
        StickKeyType.IPv6 when key.Length == 16 => new IPAddress(key).ToString(),
        StickKeyType.String => Quote(key),
        _ => "0x" + Convert.ToHexString(key),
    };

    /// <summary>Appends <c> name=value</c> for every value of an update, in the sender's schema order.</summary>
    public static void AppendValues(StringBuilder sb, TableSchema schema, ReadOnlySpan<WireValue> slots)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(schema);
        var s = 0;
        foreach (var spec in schema.DataTypes)
        {
            var info = spec.Info;
            var name = info.HasPeriod ? string.Create(CultureInfo.InvariantCulture, $"{info.Name}({spec.PeriodMs})") : info.Name;
            for (var i = 0; i < spec.ArrayLength; i++)
            {
                var slot = slots[s++];
                sb.Append(' ').Append(name);
                if (info.IsArray)
                {
                    sb.Append('[').Append(i.ToString(CultureInfo.InvariantCulture)).Append(']');
                }

                sb.Append('=');
                AppendValue(sb, info.Encoding, slot);
            }
        }
    }

    /// <summary>Appends one value.</summary>
    public static void AppendValue(StringBuilder sb, DataEncoding encoding, in WireValue slot)
    {
        ArgumentNullException.ThrowIfNull(sb);
        switch (encoding)
        {
            case DataEncoding.SignedInt:
                sb.Append(unchecked((int)slot.Number).ToString(CultureInfo.InvariantCulture));
                break;
            case DataEncoding.UnsignedInt:
            case DataEncoding.UnsignedLong:
                sb.Append(slot.Number.ToString(CultureInfo.InvariantCulture));
                break;
            case DataEncoding.FrequencyCounter:
                sb.Append(CultureInfo.InvariantCulture, $"[age={slot.AgeMs},curr={slot.Current},prev={slot.Previous}]");
                break;
            default:
                // The bytes received (DictionaryText keeps invalid UTF-8), not a UTF-8 re-encoding of them.
                sb.Append(slot.Text is null ? "-" : Quote(DictionaryText.GetBytes(slot.Text)));
                break;
        }
    }

    /// <summary>Quotes bytes as a string, escaping quotes, backslashes and non-printable bytes as <c>\xHH</c>.</summary>
    public static string Quote(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length + 2).Append('"');
        foreach (var b in bytes)
        {
            if (b is (byte)'"' or (byte)'\\')
            {
                sb.Append('\\').Append((char)b);
            }
            else if (b is >= 0x20 and < 0x7F)
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }
        }

        return sb.Append('"').ToString();
    }
}
