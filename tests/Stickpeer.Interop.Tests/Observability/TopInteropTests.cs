// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Spectre.Console.Testing;
using Stickpeer.Daemon.Top;
using Stickpeer.Interop.Tests.Lessons;
using Stickpeer.TestKit;
using Stickpeer.TestKit.Haproxy;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Interop.Tests.Observability;

/// <summary>
/// <c>stickpeer wait-ready</c> and <c>stickpeer top --socket</c> against a real HAProxy's own stats
/// socket and a Stickpeer daemon's admin socket, the two peered: one tool watches both sides.
/// </summary>
[Trait("Category", "Interop")]
public sealed class TopInteropTests : IAsyncDisposable
{
    private readonly TestScope _scope = new("stickpeer-top-");

    public ValueTask DisposeAsync() => _scope.DisposeAsync();

    [Fact]
    public async Task BothSides_ReadyThenShownUpWithTheirEntries()
    {
        HaproxyUnderTest.RequireOrSkip();
        var ct = TestContext.Current.CancellationToken;
        var ports = FreePort.GetMany(2);
        var peers = $"""
            peers mesh
                peer hap 127.0.0.1:{ports[0]}
                peer sp 127.0.0.1:{ports[1]}
                table t type ip size 1k expire 10m store gpc0,http_req_rate(10s)

            """;
        var hap = _scope.Own(await HaproxyProcess.StartAsync(new HaproxyOptions { LocalPeerName = "hap", Config = _ => HaproxyConfig.TcpDefaults + "\n" + peers }, ct));
        Assert.True(string.IsNullOrWhiteSpace(await hap.Stats.SendAsync("set table mesh/t key 10.0.0.1 data.gpc0 7", ct)));
        var sp = _scope.Own(await StickpeerDaemon.StartAsync("sp", peers, _scope.Directory, ct));

        // Stickpeer learns from HAProxy; HAProxy asks Stickpeer in turn. Both end their resync.
        foreach (var socket in new[] { sp.SocketPath, hap.StatsSocketPath })
        {
            var console = new TestConsole().Width(300);
            var stderr = new StringWriter();
            var code = await WaitReadyCommand.RunAsync(["--socket", socket, "--timeout", "30s"], console, stderr, null, TimeProvider.System, ct);
            Assert.True(code == 0, $"wait-ready on {socket}: exit {code}: {stderr}\n{console.Output}");
            Assert.Contains("ready: mesh finished; mesh/t 1 entries", console.Output, StringComparison.Ordinal);
        }

        // top on HAProxy's socket shows the Stickpeer peer established, and the reverse.
        foreach (var (socket, remote) in new[] { (hap.StatsSocketPath, "sp"), (sp.SocketPath, "hap") })
        {
            var frame = string.Empty;
            for (var i = 0; i < 100 && !PeerRowUp(frame, remote); i++)
            {
                var console = new TestConsole().Width(300);
                Assert.Equal(0, await TopCommand.RunAsync(["--socket", socket, "--once"], console, TextWriter.Null, null, TimeProvider.System, ct));
                frame = console.Output;
                if (!PeerRowUp(frame, remote))
                {
                    await Task.Delay(100, ct);
                }
            }

            Assert.True(PeerRowUp(frame, remote), $"top --socket {socket} never showed {remote} established:\n{frame}");
            Assert.Contains(frame.Split('\n'), l => l.Contains("mesh/t", StringComparison.Ordinal) && l.Contains("1 / 1024", StringComparison.Ordinal));
        }
    }

    private static bool PeerRowUp(string frame, string peer) =>
        frame.Split('\n').Any(l => l.Contains("mesh (finished)", StringComparison.Ordinal) && l.Contains($" {peer} ", StringComparison.Ordinal) && l.Contains("established", StringComparison.Ordinal));
}
