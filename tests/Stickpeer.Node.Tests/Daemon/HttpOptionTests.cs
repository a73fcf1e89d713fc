// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using Stickpeer.Daemon.Cli;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Daemon;

/// <summary><c>--http</c>, <c>--http-token</c> and <c>--log-format</c> on the real command line.</summary>
public sealed class HttpOptionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stickpeer-http-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("stickpeer: --http 0.0.0.0:9100: a non-loopback address needs a bearer token", "--http", "0.0.0.0:9100")]
    [InlineData("stickpeer: --http: 'nowhere' is not an address and port", "--http", "nowhere")]
    [InlineData("stickpeer: --http-token needs --http", "--http-token", "t")]
    [InlineData("stickpeer: --log-format: 'xml' is neither 'text' nor 'json'", "--log-format", "xml")]
    [InlineData("stickpeer: --http expects an address and port", "--http")]
    public async Task BadOption_ExitsTwoWithTheReason(string message, params string[] options)
    {
        var cfg = Config(FreePort.Get());
        var stderr = new StringWriter();

        var code = await StickpeerCommand.RunAsync(["-f", cfg, "-L", "me", .. options], TextReader.Null, TextWriter.Null, stderr, null, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith(message, stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpAddressInUse_ExitsThreeBeforeContactingPeers()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var stderr = new StringWriter();

        var code = await StickpeerCommand.RunAsync(
            ["-f", Config(FreePort.Get()), "-L", "me", "-q", "--http", holder.LocalEndpoint.ToString()!], TextReader.Null, TextWriter.Null, stderr, null, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.StartupError, code);
        Assert.Contains("HTTP API: cannot listen on", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithHttpAndJsonLogs_ServesHealthAndStops()
    {
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource<IReadOnlyDictionary<string, string>>();
        var run = StickpeerCommand.RunAsync(
            ["-f", Config(FreePort.Get()), "-L", "me", "-q", "--log-format", "json", "--http", "127.0.0.1:0", "--http-token", "tok"],
            TextReader.Null,
            TextWriter.Null,
            TextWriter.Null,
            e => started.TrySetResult(e),
            stop.Token);
        var endpoints = await started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri("http://" + endpoints["http"]), Timeout = TimeSpan.FromSeconds(30) };

        using var health = await http.GetAsync("/healthz", TestContext.Current.CancellationToken);
        using var tables = await http.GetAsync("/api/tables", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tables.StatusCode);
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }

    private string Config(int port)
    {
        var path = Path.Combine(_dir, "run.cfg");
        File.WriteAllText(path, $"peers p\n  peer me 127.0.0.1:{port}\n  table t type string size 10 store gpc0\n");
        return path;
    }
}
