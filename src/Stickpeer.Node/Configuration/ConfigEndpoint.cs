// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Stickpeer.Node.Configuration;

/// <summary>An <c>address:port</c> from the configuration; the host may be a name, an IP or empty (any).</summary>
public sealed record ConfigEndpoint(string Host, int Port)
{
    /// <summary>True when the host is empty or <c>*</c> (listen on every address).</summary>
    public bool IsAny => Host.Length == 0 || Host == "*";

    /// <summary>Parses HAProxy address forms: <c>1.2.3.4:80</c>, <c>ipv4@1.2.3.4:80</c>, <c>[::1]:80</c>, <c>ipv6@::1:80</c>, <c>*:80</c>, <c>:80</c>, <c>host:80</c>.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ConfigEndpoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        endpoint = null;
        var s = text;
        var at = s.IndexOf('@');
        if (at >= 0)
        {
            var prefix = s[..at];
            if (prefix is not ("ipv4" or "ipv6" or "tcp" or "tcp4" or "tcp6"))
            {
                error = $"unsupported address family '{prefix}@' in '{text}'";
                return false;
            }

            s = s[(at + 1)..];
        }

        if (s.StartsWith('/') || s.StartsWith("unix@", StringComparison.Ordinal))
        {
            // Refused rather than skipped: a peer left out quietly is a node replicating with fewer
            // peers than its operator configured.
            error = $"UNIX-socket peer address '{text}' is not supported by stickpeer (peers over TCP or TLS only)";
            return false;
        }

        string host;
        string portText;
        if (s.StartsWith('['))
        {
            var close = s.IndexOf(']');
            if (close < 0 || close + 1 >= s.Length || s[close + 1] != ':')
            {
                error = $"invalid address '{text}'";
                return false;
            }

            host = s[1..close];
            portText = s[(close + 2)..];
        }
        else
        {
            var colon = s.LastIndexOf(':');
            if (colon < 0)
            {
                error = $"missing port in address '{text}'";
                return false;
            }

            host = s[..colon];
            portText = s[(colon + 1)..];
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"invalid port '{portText}' in address '{text}'";
            return false;
        }

        if (host.Contains(':', StringComparison.Ordinal) && !IPAddress.TryParse(host, out _))
        {
            error = $"invalid IPv6 address '{host}' in '{text}'";
            return false;
        }

        if (host.Length > 0 && host != "*" && !IPAddress.TryParse(host, out _) && Uri.CheckHostName(host) != UriHostNameType.Dns)
        {
            error = $"invalid host name '{host}' in '{text}'";
            return false;
        }

        endpoint = new ConfigEndpoint(host, port);
        error = null;
        return true;
    }

    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
