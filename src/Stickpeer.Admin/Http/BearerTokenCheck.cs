// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Stickpeer.Admin.Http;

/// <summary>
/// Asks for <c>Authorization: Bearer &lt;token&gt;</c> on every path but the health probes (which
/// tell nothing but "alive"/"ready", and are often polled by agents that carry no secrets) and the
/// status page's static files (the page asks the user for the token and sends it with its calls).
/// </summary>
internal sealed class BearerTokenCheck(string token)
{
    private readonly byte[] _expected = Encoding.ASCII.GetBytes(token);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        if (path.Equals("/healthz", StringComparison.Ordinal) || path.Equals("/readyz", StringComparison.Ordinal) || StatusPageEndpoints.IsPublic(path) || Matches(context.Request.Headers.Authorization.ToString()))
        {
            await next(context);
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized",
            detail: "this endpoint needs 'Authorization: Bearer <token>' with the token the daemon was started with").ExecuteAsync(context);
    }

    private bool Matches(string header)
    {
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Constant time: a wrong token must not tell how many of its first bytes were right.
        var given = Encoding.ASCII.GetBytes(header[Scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, _expected);
    }
}
