// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Stickpeer.Browser.Tests;

/// <summary>
/// The status page end to end, in headless Chromium driven by Playwright: two real nodes on
/// 127.0.0.1, the page served by one of them, its auto-refresh and its search box.
/// </summary>
public sealed class StatusPageBrowserTests
{
    // Every wait on the page is bounded by this; the page polls the API every 2 s.
    private static readonly float WaitMs = 30_000;

    [Fact]
    public async Task StatusPage_PeerGoesDownAndComesBack_ShownAndEntryFoundByKey()
    {
        ChromiumAvailability.RequireOrSkip();
        var ct = TestContext.Current.CancellationToken;
        await using var nodes = await StatusPageNodes.StartAsync(ct);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumAvailability.Path, Headless = true, Timeout = WaitMs });
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(WaitMs);
        var scriptErrors = new List<string>();
        page.PageError += (_, error) => { lock (scriptErrors) { scriptErrors.Add(error); } };

        // The page loads and names the local peer.
        var response = await page.GotoAsync(nodes.PageUri.ToString());
        Assert.Equal(200, response?.Status);
        await Expect(page).ToHaveTitleAsync("Stickpeer status", new() { Timeout = WaitMs });
        await Expect(page.Locator("#local")).ToHaveTextAsync("— peer a", new() { Timeout = WaitMs });

        // b is up.
        var row = page.Locator("#peers tbody tr[data-peer='b']");
        var state = row.Locator("td.state");
        await Expect(state).ToHaveTextAsync("Established", new() { Timeout = WaitMs });
        await Expect(row).ToHaveClassAsync("up", new() { Timeout = WaitMs });

        // b stops: the next refreshes show it down.
        await nodes.StopBAsync();
        await Expect(row).ToHaveClassAsync("down", new() { Timeout = WaitMs });
        await Expect(state).Not.ToHaveTextAsync("Established", new() { Timeout = WaitMs });

        // b starts again: up again, and a write on b reaches a.
        nodes.StartB();
        await Expect(state).ToHaveTextAsync("Established", new() { Timeout = WaitMs });
        await Expect(row).ToHaveClassAsync("up", new() { Timeout = WaitMs });
        nodes.WriteOnB("user-42", 42);
        for (var i = 0; i < 300 && nodes.ReadOnA("user-42") is null; i++)
        {
            await Task.Delay(100, ct);
        }

        Assert.Equal(42, nodes.ReadOnA("user-42"));

        // The search box finds it by key, with its value, learned from b.
        await Expect(page.Locator("#search-table")).ToHaveValueAsync(StatusPageNodes.TableName, new() { Timeout = WaitMs });
        await page.Locator("#search-key").FillAsync("user-42");
        await page.Locator("#search button").ClickAsync();
        var entries = page.Locator("#entries tbody tr");
        await Expect(entries).ToHaveCountAsync(1, new() { Timeout = WaitMs });
        var cells = entries.First.Locator("td");
        await Expect(cells.Nth(0)).ToHaveTextAsync("user-42", new() { Timeout = WaitMs });
        await Expect(cells.Nth(2)).ToHaveTextAsync("yes", new() { Timeout = WaitMs });
        await Expect(cells.Nth(3)).ToHaveTextAsync("gpc0=42", new() { Timeout = WaitMs });
        await Expect(page.Locator("#error")).ToHaveTextAsync(string.Empty, new() { Timeout = WaitMs });

        lock (scriptErrors)
        {
            Assert.Empty(scriptErrors);
        }
    }
}
