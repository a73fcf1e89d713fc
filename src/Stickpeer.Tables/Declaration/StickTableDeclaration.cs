// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Tables.Declaration;

/// <summary>
/// A parsed <c>stick-table</c> declaration (HAProxy syntax, spec §10.3):
/// <c>type ip|ipv4|ipv6|integer|string [len N]|binary [len N] size N [expire T] [nopurge]
/// [recv-only] [srvkey name|addr] [peers SECTION] [store TYPE[(ARGS)][,…]]…</c>.
/// </summary>
public sealed record StickTableDeclaration
{
    /// <summary>The key type.</summary>
    public required StickKeyType KeyType { get; init; }

    /// <summary>The configured <c>len</c> (string/binary only), null when absent.</summary>
    public int? KeyLength { get; init; }

    /// <summary>Maximum number of entries.</summary>
    public required long Size { get; init; }

    /// <summary>Entry lifetime in ms after the last touch; 0 when no <c>expire</c> (entries never expire).</summary>
    public uint ExpireMs { get; init; }

    /// <summary>True with <c>nopurge</c>.</summary>
    public bool NoPurge { get; init; }

    /// <summary>
    /// True with <c>recv-only</c> (HAProxy 3.2): the table only mirrors what peers hold, so the
    /// local-only <c>conn_cur</c> is learned from them instead of ignored.
    /// </summary>
    public bool ReceiveOnly { get; init; }

    /// <summary>
    /// The <c>brates-factor</c> (HAProxy 3.1, 1..1024, default 1): <c>bytes_in_rate</c> and
    /// <c>bytes_out_rate</c> count blocks of this many bytes, so a rate can pass 2^32 bytes per period.
    /// </summary>
    public uint BytesRateFactor { get; init; } = 1;

    /// <summary>The <c>write-to</c> target's name (HAProxy 2.9): learned updates also refresh that table's as-is values.</summary>
    public string? WriteTo { get; init; }

    /// <summary>The <c>peers</c> section this table is shared through, if any.</summary>
    public string? PeersSection { get; init; }

    /// <summary>The <c>srvkey</c> setting (<c>name</c> or <c>addr</c>), null when absent (HAProxy's default is name).</summary>
    public string? ServerKeySource { get; init; }

    /// <summary>The stored data types with their parameters, in id order.</summary>
    public IReadOnlyList<DataTypeSpec> DataTypes { get; init; } = [];

    /// <summary>The key size announced on the wire (string: len + 1 or 32; binary: len or 32; ip 4; ipv6 16; integer 4).</summary>
    public int KeySize => StickKey.KeySizeFor(KeyType, KeyLength);

    /// <summary>The HAProxy keyword of the key type as <c>show table</c> prints it.</summary>
    public string TypeKeyword => KeyTypeKeyword(KeyType);

    /// <summary>The wire schema of this table under <paramref name="networkName"/>.</summary>
    public TableSchema ToSchema(string networkName) => new(networkName, KeyType, KeySize, ExpireMs, DataTypes);

    /// <summary>The keyword HAProxy uses for a key type (<c>ip</c>, <c>ipv6</c>, <c>integer</c>, <c>string</c>, <c>binary</c>).</summary>
    public static string KeyTypeKeyword(StickKeyType type) => type switch
    {
        StickKeyType.IPv4 => "ip",
        StickKeyType.IPv6 => "ipv6",
        StickKeyType.Integer => "integer",
        StickKeyType.String => "string",
        StickKeyType.Binary => "binary",
        _ => type.ToString(),
    };

    /// <summary>
    /// Parses the words of a <c>stick-table</c> line (with or without the leading
    /// <c>stick-table</c> word). Returns the declaration or an error naming the problem.
    /// </summary>
    public static DeclarationParseResult Parse(IReadOnlyList<string> tokens) => StickTableDeclarationParser.Parse(tokens);
}
