// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;

namespace Stickpeer.Interop.Tests.Scenario;

/// <summary>One <c>set table</c> command of the scenario and the node that runs it.</summary>
internal sealed record ScenarioEntry(string Node, string Table, string Key, IReadOnlyList<(string Name, string Value)> Data);

/// <summary>The entries written through the stats sockets.</summary>
internal static class ScenarioEntries
{
    /// <summary>Written on node a before b starts (b learns them in a full resync).</summary>
    public static IReadOnlyList<ScenarioEntry> BeforeResync { get; } =
    [
        new("a", "mypeers/str", "alpha",
        [
            ("server_id", "4"), ("gpt0", "5"), ("gpc0", "1"), ("conn_cnt", "2"), ("http_req_rate", "3"),
        ]),
        new("a", "mypeers/str", "beta",
        [
            ("server_id", "-1"), ("gpt0", "4294967295"), ("gpc0", "300"), ("conn_cnt", "70000"), ("conn_cur", "3"),
            ("sess_cnt", "239"), ("sess_rate", "240"), ("http_req_cnt", "2287"), ("http_err_cnt", "2288"),
            ("bytes_in_cnt", "123456789012"), ("bytes_in_rate", "1000"), ("bytes_out_cnt", "1099511627776"),
            ("bytes_out_rate", "7"), ("gpc1", "264431"), ("gpc1_rate", "2"), ("http_fail_cnt", "9"), ("http_fail_rate", "1"),
            ("gpc0_rate", "4"), ("conn_rate", "5"), ("http_err_rate", "6"),
        ]),
        new("a", "mypeers/str", "a-key-of-exactly-32-characters!!", [("gpc0", "32")]),
        new("a", "mypeers/arr", "192.0.2.1", [("gpt", "9"), ("gpc", "5"), ("gpc_rate", "3")]),
        new("a", "mypeers/v6", "2001:db8::1", [("gpc0", "6"), ("http_req_rate", "2")]),
        new("a", "mypeers/v6", "::ffff:10.0.0.1", [("gpc0", "7")]),
        new("a", "mypeers/num", "305419896", [("server_id", "12"), ("gpt0", "13")]),
        new("a", "mypeers/num", "0", [("server_id", "0")]),
        new("a", "mypeers/num", "4294967295", [("gpt0", "1")]),
        new("a", "stk", "10.9.9.9", [("server_id", "1")]),
    ];

    /// <summary>Written after the resync, on both nodes (live pushes both ways).</summary>
    public static IReadOnlyList<ScenarioEntry> AfterResync { get; } =
    [
        new("b", "mypeers/str", "from-b", [("gpc0", "11"), ("http_req_rate", "1"), ("bytes_out_cnt", "4294967296")]),
        new("b", "mypeers/num", "7", [("server_id", "2"), ("gpt0", "8")]),
        new("b", "mypeers/arr", "198.51.100.7", [("gpc", "1")]),
        new("a", "mypeers/str", "gamma", [("gpc0", "2"), ("http_req_cnt", "1")]),
        new("a", "mypeers/v6", "2001:db8::2", [("gpc0", "1")]),
    ];

    /// <summary>Written on node a while the relays have cut the session (pushed after the reconnect).</summary>
    public static IReadOnlyList<ScenarioEntry> WhileDisconnected { get; } =
    [
        new("a", "mypeers/num", "305419896", [("server_id", "99"), ("gpt0", "100")]),
        new("a", "mypeers/str", "after-cut", [("gpc0", "5"), ("gpt0", "6")]),
    ];

    /// <summary>Many small entries written in one prompt session on node a (implicit ids in batches).</summary>
    public static IReadOnlyList<ScenarioEntry> Bulk(int count) =>
        Enumerable.Range(0, count)
            .Select(i => new ScenarioEntry("a", "mypeers/bulk", "k" + i.ToString("D4", CultureInfo.InvariantCulture), [("gpc0", (i * 7).ToString(CultureInfo.InvariantCulture))]))
            .ToArray();
}
