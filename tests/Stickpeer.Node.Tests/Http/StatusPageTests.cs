// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;

namespace Stickpeer.Node.Tests.Http;

/// <summary>The status page's static files are served from the assembly, without the token.</summary>
public sealed class StatusPageTests
{
    [Fact]
    public async Task StatusPage_WithTokenConfigured_ServedWithoutIt()
    {
        await using var api = await HttpApiFixture.StartAsync(token: "s3cret");
        var ct = TestContext.Current.CancellationToken;

        using var page = await api.Client.GetAsync("/", ct);
        using var script = await api.Client.GetAsync("/status.js", ct);
        var html = await page.Content.ReadAsStringAsync(ct);
        var js = await script.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Stickpeer status</title>", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"status.js\">", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("api/peers", js, StringComparison.Ordinal);

        // Values from peers are inserted as text only.
        Assert.DoesNotContain("innerHTML", js, StringComparison.Ordinal);
    }
}
