// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console.Testing;
using Stickpeer.Daemon.Hosting;
using Stickpeer.Daemon.Top;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Tests.Http;
using Stickpeer.TestKit;
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
        var before = Sample(10, at);
        var after = Sample(30, at.AddSeconds(2));
        var console = new TestConsole().Width(160);

        console.Write(TopView.Render(after, before));

        var row = console.Output.Split('\n').Single(l => l.Contains("[b]", StringComparison.Ordinal));
        Assert.Contains(" 10.0 ", row, StringComparison.Ordinal);
        Assert.Contains("ESTA (200)", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Once_AgainstTheAdminSocket_SameView()
    {
        await using var scope = new TestScope("stickpeer-top-");
        await using var api = await HttpApiFixture.StartAsync();
        api.Node.Run("set table mesh/t1 key 10.0.0.1 data.gpc0 1");
        var socket = Path.Combine(scope.Directory, "cli.sock");
        await using var cli = new CliSocketServer(new StatsSocketDefinition(socket, null, "admin", null, new ConfigLocation("test", 1)), api.Node.Context, NullLogger.Instance);
        cli.Start();
        var console = new TestConsole().Width(160);

        var code = await TopCommand.RunAsync(["--socket", socket, "--once"], console, TextWriter.Null, null, TimeProvider.System, TestContext.Current.CancellationToken);

        Assert.Equal(0, code);
        var lines = console.Output.Split('\n');
        Assert.Contains(lines, l => l.Contains("mesh (from_remote)", StringComparison.Ordinal) && l.Contains("hap1", StringComparison.Ordinal) && l.Contains("down", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("mesh/t1", StringComparison.Ordinal) && l.Contains("1 / 1024", StringComparison.Ordinal));
        Assert.Contains("peers of other", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoHttp_ExitsTwo_Unreachable_ExitsOne()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, await TopCommand.RunAsync(["--once"], new TestConsole(), stderr, null, TimeProvider.System, TestContext.Current.CancellationToken));
        Assert.Contains("give one of --http <addr:port> and --socket", stderr.ToString(), StringComparison.Ordinal);

        var port = FreePort.Get();
        Assert.Equal(1, await TopCommand.RunAsync(["--http", $"127.0.0.1:{port}", "--once"], new TestConsole(), stderr, null, TimeProvider.System, TestContext.Current.CancellationToken));
        Assert.Contains("cannot read", stderr.ToString(), StringComparison.Ordinal);
    }

    /// <summary>One section with one peer named <c>[b]</c> (brackets: Spectre markup must not read them).</summary>
    private static TopSample Sample(long updates, DateTimeOffset at) => new(
        "a",
        [new TopSection("mesh", "finished", true, [new TopPeer("[b]", true, "Established", "ESTA (200)", 1, 2, updates, 3, 0)])],
        [],
        at);
}
