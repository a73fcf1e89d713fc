// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Configuration.Keywords;

/// <summary>
/// HAProxy's grammar where Stickpeer must reject what HAProxy rejects: the peers section, the words after
/// <c>stats</c>, the options of <c>stats socket</c> and the arguments of a table. A word not in its table is
/// a configuration error with HAProxy's wording. The lists are HAProxy 2.6's (from <c>haproxy -dKcfg</c>
/// and its parsers); a keyword of a later version is one added line in its table.
/// </summary>
public static class HaproxyKeywords
{
    /// <summary>Keywords of a <c>peers</c> section.</summary>
    public static KeywordTable Peers { get; } = new("peers")
    {
        { "bind", KeywordSupport.Implemented },
        { "default-bind", KeywordSupport.Implemented },
        { "default-server", KeywordSupport.Implemented },
        { "disabled", KeywordSupport.Implemented },
        { "enabled", KeywordSupport.Implemented },
        { "log", KeywordSupport.Ignored, 0, "peers events are logged to stickpeer's console log, not to this log target" },
        { "peer", KeywordSupport.Implemented },
        { "server", KeywordSupport.Implemented },
        { "shards", KeywordSupport.Ignored, 1, "stickpeer sends every entry to every peer; HAProxy (2.8+) learns entries of any shard, so a sharded section only carries more traffic to stickpeer's peers" },
        { "table", KeywordSupport.Implemented },
    };

    /// <summary>Words after <c>stats</c> in <c>global</c>, in the order of HAProxy's error message.</summary>
    public static KeywordTable Stats { get; } = new("stats")
    {
        { "socket", KeywordSupport.Implemented },
        { "maxconn", KeywordSupport.Ignored, 1, "stickpeer does not limit CLI connections" },
        { "bind-process", KeywordSupport.Ignored, 1, "stickpeer is one process" },
        { "timeout", KeywordSupport.Ignored, 1, "stickpeer's CLI has no idle timeout" },
    };

    /// <summary>Options of <c>stats socket &lt;address&gt;</c> (HAProxy's bind keywords).</summary>
    public static KeywordTable StatsSocket { get; } = new("stats socket")
    {
            { "accept-netscaler-cip", KeywordSupport.Ignored, 1 },
            { "accept-proxy", KeywordSupport.Ignored, 0 },
            { "backlog", KeywordSupport.Ignored, 1 },
            { "defer-accept", KeywordSupport.Ignored, 0 },
            { "expose-fd", KeywordSupport.Ignored, 1 },
            { "gid", KeywordSupport.Ignored, 1, "the socket belongs to the user running stickpeer" },
            { "group", KeywordSupport.Ignored, 1, "the socket belongs to the user running stickpeer" },
            { "id", KeywordSupport.Ignored, 1 },
            { "interface", KeywordSupport.Ignored, 1 },
            { "level", KeywordSupport.Implemented, 1 },
            { "maxconn", KeywordSupport.Ignored, 1 },
            { "mode", KeywordSupport.Implemented, 1 },
            { "mss", KeywordSupport.Ignored, 1 },
            { "name", KeywordSupport.Ignored, 1 },
            { "namespace", KeywordSupport.Ignored, 1 },
            { "nice", KeywordSupport.Ignored, 1 },
            { "process", KeywordSupport.Ignored, 1 },
            { "proto", KeywordSupport.Ignored, 1 },
            { "severity-output", KeywordSupport.Ignored, 1 },
            { "shards", KeywordSupport.Ignored, 1 },
            { "tcp-ut", KeywordSupport.Ignored, 1 },
            { "tfo", KeywordSupport.Ignored, 0 },
            { "thread", KeywordSupport.Ignored, 1 },
            { "transparent", KeywordSupport.Ignored, 0 },
            { "uid", KeywordSupport.Ignored, 1, "the socket belongs to the user running stickpeer" },
            { "user", KeywordSupport.Ignored, 1, "the socket belongs to the user running stickpeer" },
            { "v4v6", KeywordSupport.Ignored, 0 },
            { "v6only", KeywordSupport.Ignored, 0 },
            { "ssl", KeywordSupport.Refused, 0, "the admin socket has no TLS in stickpeer; it would serve plaintext" },
            { "allow-0rtt", KeywordSupport.Ignored, 0, "the admin socket has no TLS" },
            { "alpn", KeywordSupport.Ignored, 1, "the admin socket has no TLS" },
            { "ca-file", KeywordSupport.Ignored, 1, "the admin socket has no TLS" },
            { "ca-ignore-err", KeywordSupport.Ignored, 1, "the admin socket has no TLS" },
            { "ca-sign-file", KeywordSupport.Ignored, 1, "the admin socket has no TLS" },
            { "ca-sign-pass", KeywordSupport.Ignored, 1, "the admin socket has no TLS" },
            { "ca-verify-file", KeywordSupport.Ignored, 1, "the admin socket has no TLS" },
            { "ciphers", KeywordSupport.Ignored, 1, "the admin socket has no TLS" },
            { "ciphersuites", KeywordSupport.Ignored, 1, "the admin socket has no TLS" },
            { "crl-file", KeywordSupport.Ignored, 1, "the admin socket has no TLS" },
            { "crt", KeywordSupport.Ignored, 1, "the admin socket has no TLS" },
            { "crt-ignore-err", KeywordSupport.Ignored, 1, "the admin socket has no TLS" },
            { "crt-list", KeywordSupport.Ignored, 1, "the admin socket has no TLS" },
            { "curves", KeywordSupport.Ignored, 1, "the admin socket has no TLS" },
            { "ecdhe", KeywordSupport.Ignored, 1, "the admin socket has no TLS" },
            { "force-sslv3", KeywordSupport.Ignored, 0, "the admin socket has no TLS" },
            { "force-tlsv10", KeywordSupport.Ignored, 0, "the admin socket has no TLS" },
            { "force-tlsv11", KeywordSupport.Ignored, 0, "the admin socket has no TLS" },
            { "force-tlsv12", KeywordSupport.Ignored, 0, "the admin socket has no TLS" },
            { "force-tlsv13", KeywordSupport.Ignored, 0, "the admin socket has no TLS" },
            { "generate-certificates", KeywordSupport.Ignored, 0, "the admin socket has no TLS" },
            { "no-ca-names", KeywordSupport.Ignored, 0, "the admin socket has no TLS" },
            { "no-sslv3", KeywordSupport.Ignored, 0, "the admin socket has no TLS" },
            { "no-tls-tickets", KeywordSupport.Ignored, 0, "the admin socket has no TLS" },
            { "no-tlsv10", KeywordSupport.Ignored, 0, "the admin socket has no TLS" },
            { "no-tlsv11", KeywordSupport.Ignored, 0, "the admin socket has no TLS" },
            { "no-tlsv12", KeywordSupport.Ignored, 0, "the admin socket has no TLS" },
            { "no-tlsv13", KeywordSupport.Ignored, 0, "the admin socket has no TLS" },
            { "npn", KeywordSupport.Ignored, 1, "the admin socket has no TLS" },
            { "prefer-client-ciphers", KeywordSupport.Ignored, 0, "the admin socket has no TLS" },
            { "ssl-max-ver", KeywordSupport.Ignored, 1, "the admin socket has no TLS" },
            { "ssl-min-ver", KeywordSupport.Ignored, 1, "the admin socket has no TLS" },
            { "strict-sni", KeywordSupport.Ignored, 0, "the admin socket has no TLS" },
            { "tls-ticket-keys", KeywordSupport.Ignored, 1, "the admin socket has no TLS" },
            { "verify", KeywordSupport.Ignored, 1, "the admin socket has no TLS" },
    };

    /// <summary>Arguments of <c>stick-table</c> and of <c>table &lt;name&gt;</c> (<c>type</c> may be followed by <c>len &lt;n&gt;</c>).</summary>
    public static KeywordTable Table { get; } = new("table")
    {
        { "type", KeywordSupport.Implemented, 1 },
        { "size", KeywordSupport.Implemented, 1 },
        { "expire", KeywordSupport.Implemented, 1 },
        { "nopurge", KeywordSupport.Implemented },
        { "peers", KeywordSupport.Implemented, 1 },
        { "srvkey", KeywordSupport.Implemented, 1 },
        { "store", KeywordSupport.Implemented, 1 },

        // Later HAProxy versions, implemented: write-to (2.9), brates-factor (3.1), recv-only (3.2).
        { "recv-only", KeywordSupport.Implemented },
        { "write-to", KeywordSupport.Implemented, 1 },
        { "brates-factor", KeywordSupport.Implemented, 1 },
    };

    /// <summary>
    /// <c>global</c> keywords with their own handling. HAProxy's global grammar is not reproduced: any
    /// other global keyword is skipped with a generic warning.
    /// </summary>
    public static KeywordTable Global { get; } = new("global")
    {
        { "localpeer", KeywordSupport.Implemented, 1 },
        { "crt-base", KeywordSupport.Implemented, 1 },
        { "ca-base", KeywordSupport.Implemented, 1 },
        { "stats", KeywordSupport.Implemented },
        { "daemon", KeywordSupport.Ignored, 0, "stickpeer always runs in the foreground; run it under systemd or another supervisor" },
        { "pidfile", KeywordSupport.Ignored, 1, "stickpeer writes no pid file (when the configuration is shared, the file is HAProxy's)" },
        { "user", KeywordSupport.Ignored, 1, "stickpeer does not change user; start it as the user it should run as" },
        { "group", KeywordSupport.Ignored, 1, "stickpeer does not change group; start it with the group it should run as" },
        { "uid", KeywordSupport.Ignored, 1, "stickpeer does not change user; start it as the user it should run as" },
        { "gid", KeywordSupport.Ignored, 1, "stickpeer does not change group; start it with the group it should run as" },
        { "log", KeywordSupport.Implemented },
    };
}
