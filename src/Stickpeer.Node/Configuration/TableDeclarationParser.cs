// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Configuration;

/// <summary>
/// Checks the arguments of <c>stick-table</c> (proxies) and <c>table &lt;name&gt;</c> (peers sections):
/// <c>type</c>, <c>size</c>, <c>expire</c>, <c>nopurge</c>, <c>store</c>, <c>peers</c> and the few
/// other keywords HAProxy 2.6 accepts there.
/// </summary>
public static class TableDeclarationParser
{
    /// <summary>Parses <paramref name="tokens"/> (the words after <c>stick-table</c> or after the table name).</summary>
    public static bool TryParse(
        IReadOnlyList<string> tokens,
        bool inProxy,
        out TableShape? shape,
        out string? peersSection,
        out string? error)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        shape = null;
        peersSection = null;
        StickKeyType? keyType = null;
        var keySize = 0;
        long? size = null;
        long expire = 0;
        var noPurge = false;
        var types = new List<DataTypeSpec>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var word = tokens[i];
            string? Next() => i + 1 < tokens.Count ? tokens[++i] : null;
            switch (word)
            {
                case "type":
                    if (!TryParseType(tokens, ref i, out keyType, out keySize, out error))
                    {
                        return false;
                    }

                    break;
                case "size":
                    var sizeText = Next();
                    if (sizeText is null || !ConfigUnits.TryParseSize(sizeText, out var parsedSize) || parsedSize > int.MaxValue)
                    {
                        error = $"'size' expects a size (got '{sizeText}')";
                        return false;
                    }

                    size = parsedSize;
                    break;
                case "expire":
                    var expireText = Next();
                    if (expireText is null || !ConfigUnits.TryParseMilliseconds(expireText, out expire) || expire > int.MaxValue)
                    {
                        error = $"'expire' expects a time of at most 24.8 days (got '{expireText}')";
                        return false;
                    }

                    break;
                case "nopurge":
                    noPurge = true;
                    break;
                case "recv-only":
                    break;
                case "peers" when inProxy:
                    peersSection = Next();
                    if (peersSection is null)
                    {
                        error = "'peers' expects a peers section name";
                        return false;
                    }

                    break;
                case "srvkey":
                    if (Next() is not ("name" or "addr"))
                    {
                        error = "'srvkey' expects 'name' or 'addr'";
                        return false;
                    }

                    break;
                case "write-to" or "brates-factor":
                    if (Next() is null)
                    {
                        error = $"'{word}' expects an argument";
                        return false;
                    }

                    break;
                case "store":
                    var list = Next();
                    if (list is null)
                    {
                        error = "'store' expects a list of data types";
                        return false;
                    }

                    if (!TryParseStore(list, types, out error))
                    {
                        return false;
                    }

                    break;
                default:
                    error = $"unknown stick-table argument '{word}'";
                    return false;
            }
        }

        if (keyType is null)
        {
            error = "stick-table: missing 'type'";
            return false;
        }

        if (size is null || size == 0)
        {
            error = "stick-table: missing or null 'size'";
            return false;
        }

        shape = new TableShape(keyType.Value, keySize, size.Value, (uint)expire, noPurge, types);
        error = null;
        return true;
    }

    private static bool TryParseType(IReadOnlyList<string> tokens, ref int i, out StickKeyType? keyType, out int keySize, out string? error)
    {
        keyType = null;
        keySize = 0;
        error = null;
        var name = i + 1 < tokens.Count ? tokens[++i] : null;
        StickKeyType? parsed = name switch
        {
            "ip" or "ipv4" => StickKeyType.IPv4,
            "ipv6" => StickKeyType.IPv6,
            "integer" => StickKeyType.Integer,
            "string" => StickKeyType.String,
            "binary" => StickKeyType.Binary,
            _ => null,
        };
        if (parsed is null)
        {
            error = $"unknown stick-table type '{name}' (expected ip, ipv6, integer, string or binary)";
            return false;
        }

        int? len = null;
        if (parsed is StickKeyType.String or StickKeyType.Binary && i + 1 < tokens.Count && tokens[i + 1] == "len")
        {
            i += 2;
            if (i >= tokens.Count || !int.TryParse(tokens[i], NumberStyles.None, CultureInfo.InvariantCulture, out var l) || l < 1 || l > 65535)
            {
                error = "'len' expects a positive length";
                return false;
            }

            len = l;
        }

        keyType = parsed;
        keySize = StickKey.KeySizeFor(parsed.Value, len);
        return true;
    }

    private static bool TryParseStore(string list, List<DataTypeSpec> types, out string? error)
    {
        error = null;
        foreach (var item in SplitStoreList(list))
        {
            var open = item.IndexOf('(');
            var name = open >= 0 ? item[..open] : item;
            string? args = null;
            if (open >= 0)
            {
                if (!item.EndsWith(')'))
                {
                    error = $"missing ')' after data type '{name}'";
                    return false;
                }

                args = item[(open + 1)..^1];
            }

            if (!DataTypeCatalogue.TryGetByName(name, out var info))
            {
                error = $"unknown data type '{name}'";
                return false;
            }

            if (types.Exists(t => t.Type == info.Type))
            {
                error = $"data type '{name}' is stored twice";
                return false;
            }

            if (!TryParseArguments(info, args, out var arrayLength, out var period, out error))
            {
                return false;
            }

            types.Add(new DataTypeSpec(info.Type, arrayLength, period));
        }

        return true;
    }

    private static bool TryParseArguments(DataTypeInfo info, string? args, out int arrayLength, out uint period, out string? error)
    {
        arrayLength = 0;
        period = 0;
        error = null;
        var parts = args is null ? [] : args.Split(',');
        var expected = (info.IsArray ? 1 : 0) + (info.HasPeriod ? 1 : 0);
        if (parts.Length != expected)
        {
            error = expected == 0
                ? $"data type '{info.Name}' takes no argument"
                : $"data type '{info.Name}' expects {(info.IsArray ? "an array size" : string.Empty)}{(info.IsArray && info.HasPeriod ? " and " : string.Empty)}{(info.HasPeriod ? "a period" : string.Empty)} in parentheses";
            return false;
        }

        var p = 0;
        if (info.IsArray)
        {
            if (!int.TryParse(parts[p++], NumberStyles.None, CultureInfo.InvariantCulture, out arrayLength)
                || arrayLength < 1 || arrayLength > DataTypeCatalogue.MaxArrayLength)
            {
                error = $"invalid array size for data type '{info.Name}' (1 to {DataTypeCatalogue.MaxArrayLength})";
                return false;
            }
        }

        if (info.HasPeriod)
        {
            if (!ConfigUnits.TryParseMilliseconds(parts[p], out var ms) || ms > int.MaxValue)
            {
                error = $"invalid period '{parts[p]}' for data type '{info.Name}'";
                return false;
            }

            period = (uint)ms;
        }

        return true;
    }

    private static List<string> SplitStoreList(string list)
    {
        // Commas separate types, except inside parentheses: "gpc_rate(3,10s),conn_cnt".
        var items = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < list.Length; i++)
        {
            if (list[i] == '(')
            {
                depth++;
            }
            else if (list[i] == ')')
            {
                depth--;
            }
            else if (list[i] == ',' && depth == 0)
            {
                items.Add(list[start..i]);
                start = i + 1;
            }
        }

        items.Add(list[start..]);
        return items.Where(s => s.Length > 0).ToList();
    }
}
