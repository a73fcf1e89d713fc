// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Stickpeer.Admin.Http;

/// <summary>
/// The status page at <c>/</c>: a static HTML page and its script, shipped inside this assembly
/// (no build chain, no files next to the binary). The page asks the JSON API for everything,
/// with the bearer token the user types in when one is asked, so the page itself needs none.
/// </summary>
internal static class StatusPageEndpoints
{
    private static readonly Lazy<byte[]> s_html = new(() => Read("index.html"));
    private static readonly Lazy<byte[]> s_script = new(() => Read("status.js"));

    /// <summary>The paths served without a token (they hold no data).</summary>
    public static bool IsPublic(PathString path) => path.Equals("/", StringComparison.Ordinal) || path.Equals("/status.js", StringComparison.Ordinal);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => TypedResults.Bytes(s_html.Value, "text/html; charset=utf-8"));
        app.MapGet("/status.js", () => TypedResults.Bytes(s_script.Value, "text/javascript; charset=utf-8"));
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(StatusPageEndpoints).Assembly.GetManifestResourceStream("Stickpeer.Admin.StatusPage." + name)
            ?? throw new InvalidOperationException($"status page resource '{name}' is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
