// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Configuration;

/// <summary>What the configuration says about a table, as checked by the configuration parser.</summary>
public sealed record TableShape(
    StickKeyType KeyType,
    int KeySize,
    long Size,
    uint ExpireMs,
    bool NoPurge,
    IReadOnlyList<DataTypeSpec> DataTypes)
{
    /// <summary>HAProxy's name for the key type in <c>show table</c> (<c>ip</c>, <c>ipv6</c>, <c>integer</c>, <c>string</c>, <c>binary</c>).</summary>
    public string KeyTypeName => KeyType switch
    {
        StickKeyType.IPv4 => "ip",
        StickKeyType.IPv6 => "ipv6",
        StickKeyType.Integer => "integer",
        StickKeyType.String => "string",
        _ => "binary",
    };

    public TableSchema ToSchema(string wireName) => new(wireName, KeyType, KeySize, ExpireMs, DataTypes);
}
