// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.TestKit.Haproxy;

/// <summary>Reusable configuration fragments for test HAProxy processes.</summary>
public static class HaproxyConfig
{
    /// <summary>A TCP-mode defaults section with short timeouts.</summary>
    public const string TcpDefaults = """
        defaults
            mode tcp
            timeout connect 2s
            timeout client 30s
            timeout server 30s

        """;

    /// <summary>An HTTP-mode defaults section with short timeouts (frontends that count requests in a table).</summary>
    public const string HttpDefaults = """
        defaults
            mode http
            timeout connect 2s
            timeout client 30s
            timeout server 30s

        """;

    /// <summary>A peers section with <c>peer</c> lines (name → 127.0.0.1 port) and extra lines (tables).</summary>
    public static string PeersSection(string sectionName, IEnumerable<(string Name, int Port)> peers, IEnumerable<string>? extraLines = null)
    {
        ArgumentNullException.ThrowIfNull(peers);
        var lines = new List<string> { $"peers {sectionName}" };
        lines.AddRange(peers.Select(p => $"    peer {p.Name} 127.0.0.1:{p.Port}"));
        if (extraLines is not null)
        {
            lines.AddRange(extraLines.Select(l => "    " + l.Trim()));
        }

        return string.Join('\n', lines) + "\n\n";
    }
}
