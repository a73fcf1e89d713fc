// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Tables.Declaration;

/// <summary>The parser behind <see cref="StickTableDeclaration.Parse"/>.</summary>
internal static class StickTableDeclarationParser
{
    private const int MaxKeyLength = 65535;

    public static DeclarationParseResult Parse(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        StickKeyType? type = null;
        int? len = null;
        long? size = null;
        uint expire = 0;
        var noPurge = false;
        var receiveOnly = false;
        uint bytesRateFactor = 1;
        string? writeTo = null;
        string? peers = null;
        string? srvKey = null;
        var stored = new List<DataTypeSpec>();
        var i = tokens.Count > 0 && tokens[0] == "stick-table" ? 1 : 0;
        while (i < tokens.Count)
        {
            var word = tokens[i];
            string? Next() => i + 1 < tokens.Count ? tokens[++i] : null;
            switch (word)
            {
                case "type":
                    var t = Next();
                    type = t switch
                    {
                        "ip" or "ipv4" => StickKeyType.IPv4,
                        "ipv6" => StickKeyType.IPv6,
                        "integer" => StickKeyType.Integer,
                        "string" => StickKeyType.String,
                        "binary" => StickKeyType.Binary,
                        null => null,
                        _ => null,
                    };
                    if (type is null)
                    {
                        return Fail(t is null
                            ? "'type' expects a key type (ip, ipv6, integer, string or binary)"
                            : $"unknown key type '{t}' (expected ip, ipv6, integer, string or binary)");
                    }

                    if (i + 1 < tokens.Count && tokens[i + 1] == "len")
                    {
                        i++;
                        if (type is not (StickKeyType.String or StickKeyType.Binary))
                        {
                            return Fail($"'len' is only supported for string and binary keys, not for type '{t}'");
                        }

                        var l = Next();
                        if (l is null || !int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > MaxKeyLength)
                        {
                            return Fail($"'len' expects a length between 1 and {MaxKeyLength}, got '{l}'");
                        }

                        len = n;
                    }

                    break;
                case "len":
                    return Fail("'len' must follow 'type string' or 'type binary'");
                case "size":
                    var s = Next();
                    if (s is null)
                    {
                        return Fail("'size' expects a number of entries");
                    }

                    if (!ConfigValueParser.TryParseSize(s, out var sz, out var sizeError))
                    {
                        return Fail(sizeError!);
                    }

                    if (sz < 1)
                    {
                        return Fail("'size' must be at least 1");
                    }

                    size = sz;
                    break;
                case "expire":
                    var e = Next();
                    if (e is null)
                    {
                        return Fail("'expire' expects a time");
                    }

                    if (!ConfigValueParser.TryParseTimeMs(e, out var ms, out var timeError))
                    {
                        return Fail(timeError!);
                    }

                    expire = (uint)ms;
                    break;
                case "nopurge":
                    noPurge = true;
                    break;
                case "recv-only":
                    receiveOnly = true;
                    break;
                case "brates-factor":
                    // HAProxy reads a size (k/m/g suffixes), then requires 1..1024.
                    if (Next() is not { } factorText || !ConfigValueParser.TryParseSize(factorText, out var factor, out _) || factor is 0 or > 1024)
                    {
                        return Fail("'brates-factor' expects a number greater than 0 and lower or equal than 1024");
                    }

                    bytesRateFactor = (uint)factor;
                    break;
                case "peers":
                    peers = Next();
                    if (peers is null)
                    {
                        return Fail("'peers' expects a peers section name");
                    }

                    break;
                case "srvkey":
                    srvKey = Next();
                    if (srvKey is not ("name" or "addr"))
                    {
                        return Fail($"'srvkey' expects 'name' or 'addr', got '{srvKey}'");
                    }

                    break;
                case "store":
                    var list = Next();
                    if (list is null)
                    {
                        return Fail("'store' expects a list of data types");
                    }

                    var storeError = ParseStore(list, stored);
                    if (storeError is not null)
                    {
                        return Fail(storeError);
                    }

                    break;
                case "write-to":
                    writeTo = Next();
                    if (writeTo is null)
                    {
                        return Fail("'write-to' expects a table name");
                    }

                    break;
                default:
                    return Fail($"unknown stick-table keyword '{word}' (expected type, size, expire, nopurge, recv-only, brates-factor, write-to, srvkey, peers or store)");
            }

            i++;
        }

        if (type is null)
        {
            return Fail("missing 'type' (ip, ipv6, integer, string or binary)");
        }

        if (size is null)
        {
            return Fail("missing 'size'");
        }

        var mixError = CheckExclusive(stored);
        if (mixError is not null)
        {
            return Fail(mixError);
        }

        stored.Sort((a, b) => a.Type.CompareTo(b.Type));
        return DeclarationParseResult.Ok(new StickTableDeclaration
        {
            KeyType = type.Value,
            KeyLength = len,
            Size = size.Value,
            ExpireMs = expire,
            NoPurge = noPurge,
            ReceiveOnly = receiveOnly,
            BytesRateFactor = bytesRateFactor,
            WriteTo = writeTo,
            PeersSection = peers,
            ServerKeySource = srvKey,
            DataTypes = stored,
        });
    }

    private static DeclarationParseResult Fail(string error) => DeclarationParseResult.Fail(error);

    private static string? ParseStore(string list, List<DataTypeSpec> stored)
    {
        foreach (var item in SplitTopLevel(list))
        {
            if (item.Length == 0)
            {
                return $"empty data type in store list '{list}'";
            }

            var open = item.IndexOf('(', StringComparison.Ordinal);
            string name;
            string[]? args = null;
            if (open >= 0)
            {
                if (!item.EndsWith(')'))
                {
                    return $"missing ')' after the arguments of '{item}'";
                }

                name = item[..open];
                args = item[(open + 1)..^1].Split(',');
            }
            else
            {
                name = item;
            }

            if (!DataTypeCatalogue.TryGetByName(name, out var info))
            {
                return $"unknown data type '{name}' in store list";
            }

            if (stored.Exists(d => d.Type == info.Type))
            {
                return $"data type '{info.Name}' is stored more than once";
            }

            var count = 1;
            uint period = 0;
            var expected = (info.IsArray ? 1 : 0) + (info.HasPeriod ? 1 : 0);
            if (expected == 0 && args is not null)
            {
                return $"data type '{info.Name}' takes no argument";
            }

            if (expected > 0 && (args is null || args.Length != expected || Array.Exists(args, a => a.Length == 0)))
            {
                return info.IsArray && info.HasPeriod
                    ? $"data type '{info.Name}' needs an element count and a period, e.g. '{info.Name}(3,10s)'"
                    : info.IsArray
                        ? $"data type '{info.Name}' needs an element count, e.g. '{info.Name}(3)'"
                        : $"missing period for data type '{info.Name}', e.g. '{info.Name}(10s)'";
            }

            var a = 0;
            if (info.IsArray)
            {
                if (!int.TryParse(args![a++], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1 || count > DataTypeCatalogue.MaxArrayLength)
                {
                    return $"element count of '{info.Name}' must be between 1 and {DataTypeCatalogue.MaxArrayLength}, got '{args[a - 1]}'";
                }
            }

            if (info.HasPeriod)
            {
                if (!ConfigValueParser.TryParseTimeMs(args![a], out var p, out var err))
                {
                    return $"invalid period for '{info.Name}': {err}";
                }

                if (p == 0)
                {
                    return $"period of '{info.Name}' must be greater than 0";
                }

                period = (uint)p;
            }

            stored.Add(new DataTypeSpec(info.Type, count, period));
        }

        return null;
    }

    private static List<string> SplitTopLevel(string list)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < list.Length; i++)
        {
            switch (list[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(list[start..i]);
                    start = i + 1;
                    break;
            }
        }

        parts.Add(list[start..]);
        return parts;
    }

    private static string? CheckExclusive(List<DataTypeSpec> stored)
    {
        bool Has(StickDataType t) => stored.Exists(d => d.Type == t);
        if (Has(StickDataType.Gpt) && Has(StickDataType.Gpt0))
        {
            return "'gpt' and 'gpt0' cannot be stored in the same table";
        }

        if (Has(StickDataType.Gpc) && (Has(StickDataType.Gpc0) || Has(StickDataType.Gpc1)))
        {
            return "'gpc' cannot be stored with 'gpc0' or 'gpc1' in the same table";
        }

        if (Has(StickDataType.GpcRate) && (Has(StickDataType.Gpc0Rate) || Has(StickDataType.Gpc1Rate)))
        {
            return "'gpc_rate' cannot be stored with 'gpc0_rate' or 'gpc1_rate' in the same table";
        }

        return null;
    }
}
