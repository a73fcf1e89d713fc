// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Stickpeer.Admin.Http;

/// <summary>
/// Where the HTTP API listens and the bearer token it asks for. A bind address other than
/// loopback is refused without a token: the API can write to tables.
/// </summary>
public sealed record HttpApiOptions
{
    /// <summary>The environment variable read for the token when <c>--http-token</c> is not given.</summary>
    public const string TokenVariable = "STICKPEER_HTTP_TOKEN";

    /// <summary>The address and port to listen on (port 0: any free port).</summary>
    public required IPEndPoint Endpoint { get; init; }

    /// <summary>The bearer token every request but <c>/healthz</c> and <c>/readyz</c> must carry; null: none asked.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// Reads <c>--http &lt;addr:port&gt;</c> (<c>127.0.0.1:9100</c>, <c>[::1]:9100</c>,
    /// <c>localhost:9100</c>, <c>0.0.0.0:9100</c>) and the token; false with <paramref name="error"/>
    /// on a bad address, or a non-loopback address without a token.
    /// </summary>
    public static bool TryCreate(string address, string? token, [NotNullWhen(true)] out HttpApiOptions? options, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(address);
        options = null;
        token = string.IsNullOrEmpty(token) ? null : token;
        var endpoint = ParseEndpoint(address);
        if (endpoint is null)
        {
            error = $"--http: '{address}' is not an address and port (e.g. 127.0.0.1:9100 or [::1]:9100)";
            return false;
        }

        if (!IPAddress.IsLoopback(endpoint.Address) && token is null)
        {
            error = $"--http {address}: a non-loopback address needs a bearer token (--http-token <token> or the {TokenVariable} environment variable); refusing to expose the API without one";
            return false;
        }

        if (token is not null && token.Any(c => c is <= ' ' or > '~'))
        {
            error = "--http-token: the token must be printable ASCII without spaces";
            return false;
        }

        options = new HttpApiOptions { Endpoint = endpoint, Token = token };
        error = null;
        return true;
    }

    private static IPEndPoint? ParseEndpoint(string address)
    {
        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !ushort.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }

        var host = address[..colon];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        // IPv6 only in brackets, so that the port is never read out of the address.
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            return IPAddress.TryParse(host[1..^1], out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(v6, port) : null;
        }

        return IPAddress.TryParse(host, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork ? new IPEndPoint(v4, port) : null;
    }
}
