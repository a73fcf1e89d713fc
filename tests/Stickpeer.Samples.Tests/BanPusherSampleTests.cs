// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.IO.Pipelines;
using System.Net;
using Stickpeer.Samples.BanPusher;
using Stickpeer.TestKit.Haproxy;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Samples.Tests;

/// <summary>samples/BanPusher reads HAProxy's own configuration, joins its peers section and bans a client HAProxy then denies.</summary>
public sealed class BanPusherSampleTests
{
    [Fact]
    public async Task A_pushed_ban_reaches_haproxy_which_denies_the_client()
    {
        if (!HaproxyAvailability.IsInstalled)
        {
            Assert.Skip(HaproxyAvailability.SkipReason);
        }

        var ct = TestContext.Current.CancellationToken;
        var (hapHttp, hapPeer, pusherPeer) = (FreePort.Get(), FreePort.Get(), FreePort.Get());
        await using var haproxy = await HaproxyProcess.StartAsync(
            new HaproxyOptions
            {
                LocalPeerName = "haproxy",
                Config = _ => $"""
                    {HaproxyConfig.HttpDefaults}
                    peers bp
                        peer haproxy 127.0.0.1:{hapPeer}
                        peer pusher 127.0.0.1:{pusherPeer}
                        table bans type ip size 10k expire 5m store gpt0

                    frontend fe
                        bind 127.0.0.1:{hapHttp}
                        http-request deny deny_status 403 if {"{"} src,table_gpt0(bp/bans) eq 1 {"}"}
                        http-request return status 200 content-type text/plain string ok
                    """,
            },
            ct);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var site = new Uri($"http://127.0.0.1:{hapHttp}/");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(site, ct)).StatusCode);

        var feed = new Pipe();
        using var feedReader = new StreamReader(feed.Reader.AsStream());
        await using var feedWriter = new StreamWriter(feed.Writer.AsStream()) { AutoFlush = true };
        var output = new StringWriter();
        var pusher = Pusher.RunAsync([haproxy.ConfigPath, "pusher", "bp/bans"], feedReader, TextWriter.Synchronized(output), ct);

        await feedWriter.WriteLineAsync("not-an-address");
        await feedWriter.WriteLineAsync("127.0.0.1");
        await RateLimitingSampleTests.WaitAsync(
            async () => (await haproxy.Stats.ShowTableAsync("bp/bans", ct)).Entries.Any(e => e.Key == "127.0.0.1" && e["gpt0"] == "1"),
            "HAProxy to show the ban",
            haproxy,
            ct);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(site, ct)).StatusCode);

        feedWriter.Close();
        Assert.Equal(0, await pusher.WaitAsync(TimeSpan.FromSeconds(30), ct));
        Assert.Contains("skipped: 'not-an-address' is not a key of table 'bp/bans'", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("banned 127.0.0.1", output.ToString(), StringComparison.Ordinal);
    }
}
