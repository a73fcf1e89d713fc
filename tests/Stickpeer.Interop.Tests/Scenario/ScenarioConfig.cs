// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.TestKit.Haproxy;

namespace Stickpeer.Interop.Tests.Scenario;

/// <summary>The HAProxy configuration shared by both nodes of the recording scenario.</summary>
internal static class ScenarioConfig
{
    /// <summary>Every non-array data type HAProxy 2.6 knows except server_key (ids 0..21).</summary>
    public const string AllScalarTypes =
        "server_id,gpt0,gpc0,gpc0_rate(10s),conn_cnt,conn_rate(10s),conn_cur,sess_cnt,sess_rate(10s)," +
        "http_req_cnt,http_req_rate(10s),http_err_cnt,http_err_rate(10s),bytes_in_cnt,bytes_in_rate(1m)," +
        "bytes_out_cnt,bytes_out_rate(1m),gpc1,gpc1_rate(10s),http_fail_cnt,http_fail_rate(10s)";

    /// <summary>Peers-section tables (local names <c>mypeers/&lt;t&gt;</c>, network names <c>/&lt;t&gt;</c>).</summary>
    public static readonly string[] Tables =
    [
        $"table str type string len 32 size 1k expire 30m store {AllScalarTypes}",
        "table arr type ip size 1k expire 10m store gpt(2),gpc(3),gpc_rate(2,10s)",
        "table v6 type ipv6 size 1k expire 10m store gpc0,http_req_rate(10s)",
        "table num type integer size 1k expire 5m store server_id,gpt0",
        "table bulk type string len 16 size 4k store gpc0",
        "table bin type binary len 8 size 1k expire 10m store gpc0,conn_cnt",
    ];

    /// <summary>Builds one node's configuration.</summary>
    /// <param name="peers">Peer lines (name, port) — the local one is where this node listens.</param>
    /// <param name="echoPort">Port of the echo server used as backend servers.</param>
    /// <param name="frontendPort">When set, a frontend on this port drives traffic into the tables.</param>
    public static string Build(IEnumerable<(string Name, int Port)> peers, int echoPort, int? frontendPort)
    {
        var text = HaproxyConfig.TcpDefaults + HaproxyConfig.PeersSection("mypeers", peers, Tables);
        if (frontendPort is { } fe)
        {
            text += $$"""
                frontend fe
                    bind 127.0.0.1:{{fe}}
                    tcp-request inspect-delay 2s
                    tcp-request connection track-sc0 src table mypeers/arr
                    tcp-request connection sc-inc-gpc(1,0)
                    tcp-request connection sc-inc-gpc(2,0)
                    tcp-request connection sc-set-gpt(1,0) 77
                    tcp-request content track-sc1 req.payload(0,8) table mypeers/bin if { req.len ge 8 }
                    tcp-request content sc-inc-gpc0(1)
                    default_backend stk

                """;
        }

        text += $"""
            backend stk
                balance roundrobin
                stick-table type ip size 1k expire 30m peers mypeers
                stick on src
                server s1 127.0.0.1:{echoPort}
                server s2 127.0.0.1:{echoPort}

            """;
        return text;
    }
}
