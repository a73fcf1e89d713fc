// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Spectre.Console.Testing;
using Stickpeer.Daemon.Top;
using Stickpeer.Node.Tests.Http;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Daemon;

/// <summary><c>stickpeer wait-ready</c> against the HTTP API of a node that cannot finish its resync (its only peer is absent), and an unreachable one.</summary>
public sealed class WaitReadyCommandTests
{
    [Fact]
    public async Task NodeStillResyncing_TimesOutWithThree_AndShowsWhatItSaw()
    {
        await using var api = await HttpApiFixture.StartAsync();
        api.Node.Run("set table mesh/t1 key 10.0.0.1 data.gpc0 1");
        var console = new TestConsole().Width(200);
        var stderr = new StringWriter();

        var code = await WaitReadyCommand.RunAsync(["--http", api.Server.Endpoint.ToString(), "--timeout", "1500ms"], console, stderr, null, TimeProvider.System, TestContext.Current.CancellationToken);

        Assert.Equal(3, code);
        Assert.Contains("not ready after", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("resyncing: mesh from_remote; mesh/t1 1 entries", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("resyncing: mesh from_remote", console.Output, StringComparison.Ordinal); // progress line (not a terminal)
    }

    [Fact]
    public async Task NothingListening_RetriedThenExitsOne()
    {
        var console = new TestConsole();
        var stderr = new StringWriter();

        var code = await WaitReadyCommand.RunAsync(["--http", $"127.0.0.1:{FreePort.Get()}", "--timeout", "1s"], console, stderr, null, TimeProvider.System, TestContext.Current.CancellationToken);

        Assert.Equal(1, code);
        Assert.Contains("cannot read http://127.0.0.1:", stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--timeout", "1s" }, "give one of")]
    [InlineData(new[] { "--http", "127.0.0.1:1", "--socket", "/x" }, "give one of")]
    [InlineData(new[] { "--http", "127.0.0.1:1", "--timeout", "soon" }, "invalid time value 'soon'")]
    [InlineData(new[] { "--http", "127.0.0.1:1", "--once" }, "unexpected '--once'")]
    public async Task BadArguments_ExitTwo(string[] args, string message)
    {
        var stderr = new StringWriter();

        Assert.Equal(2, await WaitReadyCommand.RunAsync(args, new TestConsole(), stderr, null, TimeProvider.System, TestContext.Current.CancellationToken));
        Assert.Contains(message, stderr.ToString(), StringComparison.Ordinal);
    }
}
