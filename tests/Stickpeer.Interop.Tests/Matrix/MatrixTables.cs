// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Interop.Tests.Matrix;

/// <summary>
/// The tables of the compatibility matrix: every key type, each with two shapes, since HAProxy
/// refuses <c>gpt0</c> beside <c>gpt(n)</c> in one table. Rates use periods no default has, long
/// enough that a counter rarely rotates during a test (then HAProxy's rounding allows ±1).
/// </summary>
internal static class MatrixTables
{
    public const string Section = "mx";

    /// <summary>Every 2.6 data type except the array ones, plus server_id and the local-only conn_cur.</summary>
    private const string Scalars = "server_id,gpt0,gpc0,gpc0_rate(50m),conn_cnt,conn_rate(70m),conn_cur,sess_cnt,sess_rate(90m),"
        + "http_req_cnt,http_req_rate(110m),http_err_cnt,http_err_rate(130m),bytes_in_cnt,bytes_in_rate(150m),"
        + "bytes_out_cnt,bytes_out_rate(170m),gpc1,gpc1_rate(190m),http_fail_cnt,http_fail_rate(210m)";

    /// <summary>The array types of 2.5+, with a 64-bit counter to carry a value past 2^32.</summary>
    private const string Arrays = "server_id,gpt(3),gpc(2),gpc_rate(2,230m),bytes_out_cnt";

    // 2.6's CLI sets element 0 of an array (data.gpt), and no binary key (HAProxy: "Inserting keys
    // into tables of type other than ip, ipv6, string and integer is not supported").
    private const string ScalarValues = "data.server_id -7 data.gpt0 4 data.gpc0 5 data.gpc0_rate 6 data.conn_cnt 7 data.conn_rate 8 data.conn_cur 2 "
        + "data.sess_cnt 9 data.sess_rate 10 data.http_req_cnt 11 data.http_req_rate 12 data.http_err_cnt 13 data.http_err_rate 14 "
        + "data.bytes_in_cnt 9000000001 data.bytes_in_rate 15 data.bytes_out_cnt 16 data.bytes_out_rate 17 data.gpc1 18 data.gpc1_rate 19 "
        + "data.http_fail_cnt 20 data.http_fail_rate 21";

    private const string ArrayValues = "data.server_id 3 data.gpt 4000000000 data.gpc 23 data.gpc_rate 24 data.bytes_out_cnt 12345678901";

    /// <summary>server_key needs a stick rule and a real server: HAProxy's traffic writes it, nobody's CLI can.</summary>
    public const string ServerKeyTable = "Sstr";

    /// <summary>Key type, the table line's type words, and two keys (one per writer).</summary>
    public static readonly IReadOnlyList<MatrixKeyType> KeyTypes =
    [
        new("int", "integer", "42", "4000000000", CliCanWrite: true),
        new("ip4", "ip", "10.1.2.3", "192.168.255.1", CliCanWrite: true),
        new("ip6", "ipv6", "2001:db8::42", "fe80::1:2", CliCanWrite: true),
        new("str", "string len 32", "user-42", "a.key_with-punctuation:9", CliCanWrite: true),
        new("strd", "string", "session-from-hap", "session-from-sp", CliCanWrite: true),
        new("bin", "binary len 16", "0102030405060708090A0B0C0D0E0F10", StickpeerKey: null, CliCanWrite: false),
    ];

    /// <summary>The key HAProxy's stick rule stores: the hex of the 8 bytes <see cref="ServerKeyPayload"/>.</summary>
    public const string ServerKeyKey = "4142434445464748";

    public static ReadOnlySpan<byte> ServerKeyPayload => "ABCDEFGH"u8;

    /// <summary>The tables CLI commands write: (name, key type, shape) for each key type and shape.</summary>
    public static IEnumerable<(string Table, MatrixKeyType Key, bool Arrays)> Writable =>
        KeyTypes.SelectMany(k => new[] { ("L" + k.Name, k, false), ("A" + k.Name, k, true) });

    /// <summary>Every data type the matrix stores, by HAProxy name (arrays without their parameters).</summary>
    public static IEnumerable<string> DataTypeNames =>
        System.Text.RegularExpressions.Regex.Replace(Scalars + "," + Arrays + ",server_key", @"\([^)]*\)", string.Empty).Split(',').Distinct(StringComparer.Ordinal);

    /// <summary>Every table of the matrix.</summary>
    public static IEnumerable<string> AllNames => Writable.Select(t => t.Table).Append(ServerKeyTable);

    /// <summary>The <c>table</c> lines of the peers section.</summary>
    public static IEnumerable<string> Declarations =>
        Writable.Select(t => $"table {t.Table} type {t.Key.TypeWords} size 1k expire 10m store {(t.Arrays ? Arrays : Scalars)}")
            .Append($"table {ServerKeyTable} type string len 32 size 1k expire 10m store server_id,server_key");

    /// <summary>
    /// HAProxy-only sections whose traffic writes what its CLI cannot: a binary key (the first 16
    /// bytes a client sends, with gpt/gpc actions on both shapes) and server_key (a stick rule).
    /// </summary>
    public static string HaproxyTraffic(int binaryPort, int stickPort, int serverPort) => $$"""
        frontend bin_in
            mode tcp
            bind 127.0.0.1:{{binaryPort}}
            tcp-request inspect-delay 2s
            tcp-request content track-sc0 req.payload(0,16) table {{Section}}/Lbin if { req.len ge 16 }
            tcp-request content track-sc1 req.payload(0,16) table {{Section}}/Abin if { req.len ge 16 }
            tcp-request content sc-inc-gpc0(0)
            tcp-request content sc-set-gpt0(0) 9
            tcp-request content sc-inc-gpc(1,1)
            tcp-request content sc-set-gpt(2,1) 77
            tcp-request content reject

        frontend stick_in
            mode tcp
            bind 127.0.0.1:{{stickPort}}
            tcp-request inspect-delay 2s
            tcp-request content accept if { req.len ge 8 }
            default_backend stick_be

        backend stick_be
            mode tcp
            stick on req.payload(0,8),hex table {{Section}}/{{ServerKeyTable}}
            server web-1 127.0.0.1:{{serverPort}}

        """;

    /// <summary>
    /// A <c>set table</c> line writing every settable type of the table. The local-only conn_cur
    /// differs per writer (HAProxy 2, Stickpeer 3), so a learner showing the other side's value
    /// would be caught.
    /// </summary>
    public static string SetCommand(string table, bool arrays, string key, bool byStickpeer) =>
        $"set table {Section}/{table} key {key} {(arrays ? ArrayValues : byStickpeer ? ScalarValues.Replace("data.conn_cur 2", "data.conn_cur 3", StringComparison.Ordinal) : ScalarValues)}";
}

/// <param name="Name">Short name used in table names.</param>
/// <param name="TypeWords">The declaration's <c>type …</c> words.</param>
/// <param name="HaproxyKey">The key HAProxy writes (binary: through its traffic, as printed).</param>
/// <param name="StickpeerKey">The key Stickpeer writes (null: its CLI cannot, like HAProxy's).</param>
/// <param name="CliCanWrite">False for binary keys: neither HAProxy 2.6's CLI nor Stickpeer's inserts them.</param>
internal sealed record MatrixKeyType(string Name, string TypeWords, string HaproxyKey, string? StickpeerKey, bool CliCanWrite);
