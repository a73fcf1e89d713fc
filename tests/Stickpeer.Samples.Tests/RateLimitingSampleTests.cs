// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using Stickpeer.Samples.RateLimiting;
using Stickpeer.TestKit.Haproxy;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Samples.Tests;

/// <summary>
/// samples/RateLimiting behind a real HAProxy: requests through HAProxy and straight to the app count into
/// one replicated counter, and each side refuses once the other has used up the limit.
/// </summary>
public sealed class RateLimitingSampleTests
{
    private const int Limit = 10;

    [Fact]
    public async Task Requests_through_haproxy_and_to_the_app_count_toward_one_limit()
    {
        if (!HaproxyAvailability.IsInstalled)
        {
            Assert.Skip(HaproxyAvailability.SkipReason);
        }

        var ct = TestContext.Current.CancellationToken;
        var (appHttp, appPeer, hapHttp, hapPeer) = (FreePort.Get(), FreePort.Get(), FreePort.Get(), FreePort.Get());
        await using var app = RateLimitingApp.Build(
        [
            $"--urls=http://127.0.0.1:{appHttp}",
            $"--Stickpeer:Bind=127.0.0.1:{appPeer}",
            $"--Stickpeer:Haproxy=127.0.0.1:{hapPeer}",
            $"--RateLimit:PerMinute={Limit}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync(ct);
        await using var haproxy = await HaproxyProcess.StartAsync(
            new HaproxyOptions
            {
                LocalPeerName = "haproxy",
                Config = _ => $"""
                    {HaproxyConfig.HttpDefaults}
                    peers rl
                        peer haproxy 127.0.0.1:{hapPeer}
                        peer app 127.0.0.1:{appPeer}
                        table clients {RateLimitingApp.TableDeclaration}

                    frontend fe
                        bind 127.0.0.1:{hapHttp}
                        option forwardfor
                        http-request track-sc0 src table rl/clients
                        http-request deny deny_status 429 if {"{"} sc_http_req_rate(0) gt {Limit} {"}"}
                        default_backend app

                    backend app
                        server app 127.0.0.1:{appHttp}
                    """,
            },
            ct);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var viaHaproxy = new Uri($"http://127.0.0.1:{hapHttp}/");
        var direct = new Uri($"http://127.0.0.1:{appHttp}/");

        // 4 through HAProxy (counted by HAProxy, replicated to the app)…
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(viaHaproxy, ct)).StatusCode);
        }

        await WaitAsync(async () => long.Parse(await http.GetStringAsync(new Uri(direct, "/rate"), ct), System.Globalization.CultureInfo.InvariantCulture) == 4, "the app to learn HAProxy's 4 requests", haproxy, ct);

        // …then 6 straight to the app reach the limit of 10, and the 11th is refused by the app.
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(direct, ct)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await http.GetAsync(direct, ct)).StatusCode);

        // HAProxy learns the app's counts and refuses the client too.
        await WaitAsync(async () => RateOf(await haproxy.Stats.ShowTableAsync("rl/clients", ct)) >= 11, "HAProxy to learn the app's requests", haproxy, ct);
        var refused = await http.GetAsync(viaHaproxy, ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    private static long RateOf(TableDump dump) =>
        dump.Entries.FirstOrDefault(e => e.Key == "127.0.0.1")?[$"http_req_rate(60000)"] is { } rate ? long.Parse(rate, System.Globalization.CultureInfo.InvariantCulture) : 0;

    /// <summary>Polls a condition for at most 20 s (at most 400 tries).</summary>
    internal static async Task WaitAsync(Func<Task<bool>> condition, string what, HaproxyProcess haproxy, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        for (var i = 0; i < 400 && DateTime.UtcNow < deadline; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50, ct);
        }

        Assert.Fail($"timed out waiting for {what}; haproxy output:\n{haproxy.Output}");
    }
}
