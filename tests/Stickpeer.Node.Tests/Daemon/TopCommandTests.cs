// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text.Json;
using Spectre.Console.Testing;
using Stickpeer.Daemon.Top;
using Stickpeer.Node.Tests.Http;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Daemon;

/// <summary><c>stickpeer top</c> rendered on a recorded console.</summary>
public sealed class TopCommandTests
{
    [Fact]
    public async Task Once_AgainstTheApi_PrintsPeersAndTables()
    {
        await using var api = await HttpApiFixture.StartAsync(token: "tok");
        api.Node.Run("set table mesh/t1 key 10.0.0.1 data.gpc0 1");
        var console = new TestConsole().Width(160);

        var code = await TopCommand.RunAsync(["--http", api.Server.Endpoint.ToString(), "--http-token", "tok", "--once"], console, TextWriter.Null, null, TimeProvider.System, TestContext.Current.CancellationToken);

        Assert.Equal(0, code);
        var lines = console.Output.Split('\n');
        Assert.Contains(lines, l => l.Contains("mesh (from_remote)", StringComparison.Ordinal) && l.Contains("hap1", StringComparison.Ordinal) && l.Contains("None", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("mesh/t1", StringComparison.Ordinal) && l.Contains("1 / 1024", StringComparison.Ordinal));
        Assert.Contains("peers of other", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TwoSamples_UpdateRatePerSecond()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var before = new TopSample(Peers(10), JsonDocument.Parse("[]").RootElement, at);
        var after = new TopSample(Peers(30), JsonDocument.Parse("[]").RootElement, at.AddSeconds(2));
        var console = new TestConsole().Width(160);

        console.Write(TopView.Render(after, before));

        var row = console.Output.Split('\n').Single(l => l.Contains("[b]", StringComparison.Ordinal));
        Assert.Contains(" 10.0 ", row, StringComparison.Ordinal);
        Assert.Contains("ESTA (200)", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoHttp_ExitsTwo_Unreachable_ExitsOne()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, await TopCommand.RunAsync(["--once"], new TestConsole(), stderr, null, TimeProvider.System, TestContext.Current.CancellationToken));
        Assert.Contains("--http <addr:port> is required", stderr.ToString(), StringComparison.Ordinal);

        var port = FreePort.Get();
        Assert.Equal(1, await TopCommand.RunAsync(["--http", $"127.0.0.1:{port}", "--once"], new TestConsole(), stderr, null, TimeProvider.System, TestContext.Current.CancellationToken));
        Assert.Contains("cannot read", stderr.ToString(), StringComparison.Ordinal);
    }

    /// <summary>One section with one peer named <c>[b]</c> (brackets: Spectre markup must not read them).</summary>
    private static JsonElement Peers(long updatesIn) => JsonDocument.Parse($$"""
        {"localPeer":"a","sections":[{"name":"mesh","syncState":"finished","peers":[{"name":"[b]","state":"Established","up":true,
         "lastStatus":200,"lastStatusName":"ESTA","protocolErrors":0,"deadPeerTimeouts":0,"collisions":0,
         "traffic":{"bytesIn":1,"bytesOut":2,"updatesIn":{{updatesIn}},"updatesOut":0},"tables":[{"ackLag":3}]}]}]}
        """).RootElement;
}
