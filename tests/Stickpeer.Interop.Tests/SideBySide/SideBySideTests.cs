// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Text.RegularExpressions;
using Stickpeer.Daemon.Cli;
using Stickpeer.Daemon.Hosting;
using Stickpeer.TestKit;
using Stickpeer.TestKit.Config;
using Stickpeer.TestKit.Daemon;
using Stickpeer.TestKit.Haproxy;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Interop.Tests.SideBySide;

/// <summary>
/// Issue 19, against a real HAProxy 2.6 on the same host: Stickpeer run on HAProxy's configuration, or
/// with HAProxy's peer name, refuses to start (exit 3, naming the object and HAProxy's pid) and HAProxy
/// keeps its admin socket and its peer sessions.
/// </summary>
[Trait("Category", "Interop")]
public sealed partial class SideBySideTests : IAsyncDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private readonly TestScope _scope = new("stickpeer-side-");

    public ValueTask DisposeAsync() => _scope.DisposeAsync();

    [Fact]
    public async Task StickpeerOnHaproxysConfig_RefusesHaproxysLiveStatsSocket_HaproxyKeepsServing()
    {
        SkipWithoutHaproxy();
        var ct = TestContext.Current.CancellationToken;
        var ports = FreePort.GetMany(2);
        var hap = await StartHaproxyAsync(ports[0], ports[1], ct);

        var check = new StringWriter();
        var checkCode = await StickpeerCommand.RunAsync(["-c", "-f", hap.ConfigPath, "-L", "sp"], TextReader.Null, TextWriter.Null, check, stop: ct);
        await using var run = CommandRun.Start(StickpeerCommand.RunAsync, "-f", hap.ConfigPath, "-L", "sp", "-q");
        var started = await run.StartedOrExitedAsync(s_wait, ct);

        Assert.True(started is null, "stickpeer started on HAProxy's stats socket: " + run.Stderr);
        Assert.Equal(ExitCodes.StartupError, await run.Exit);
        Assert.Contains($"stats socket '{hap.StatsSocketPath}' ({hap.ConfigPath}:2) is in use: pid {hap.ProcessId} (haproxy) answers on it", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.StartupError, checkCode);
        Assert.Contains($"[ALERT] start-up would fail: stats socket '{hap.StatsSocketPath}'", check.ToString(), StringComparison.Ordinal);

        Assert.True(File.Exists(hap.StatsSocketPath));
        Assert.Contains("Name: HAProxy", await hap.Stats.SendAsync("show info", ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StickpeerWithHaproxysPeerName_ExitsThreeNamingHaproxy_HaproxyKeepsItsPeer()
    {
        SkipWithoutHaproxy();
        var ct = TestContext.Current.CancellationToken;
        var ports = FreePort.GetMany(2);
        int hapPort = ports[0], spPort = ports[1];
        var hap = await StartHaproxyAsync(hapPort, spPort, ct);
        var spSocket = Path.Combine(_scope.Directory, "sp.sock");
        var sp = CommandRun.Start(StickpeerCommand.RunAsync, "-f", WriteConfig("sp.cfg", spSocket, hapPort, spPort), "-L", "sp", "-q");
        _scope.Own(sp);
        Assert.NotNull(await sp.StartedOrExitedAsync(s_wait, ct));
        await WaitAsync(async () => SpEstablished().IsMatch(await hap.Stats.SendAsync("show peers", ct)), "HAProxy's session with sp", ct);

        // Same peers section, its own stats socket, but HAProxy's peer name: its listener is HAProxy's port.
        await using var intruder = CommandRun.Start(StickpeerCommand.RunAsync, "-f", WriteConfig("intruder.cfg", Path.Combine(_scope.Directory, "intruder.sock"), hapPort, spPort), "-L", "hap", "-q");
        var started = await intruder.StartedOrExitedAsync(s_wait, ct);

        Assert.True(started is null, "stickpeer bound HAProxy's peers port: " + intruder.Stderr);
        Assert.Equal(ExitCodes.StartupError, await intruder.Exit);
        Assert.Contains($"cannot listen on 127.0.0.1:{hapPort}: address 127.0.0.1:{hapPort} is already in use by pid {hap.ProcessId} (haproxy)", intruder.Stderr, StringComparison.Ordinal);

        // HAProxy still replicates with sp: a write on sp reaches it.
        Assert.Equal("\n", await UnixCli.SendAsync(spSocket, "set table mesh/t key after-intruder data.gpc0 7", ct));
        await WaitAsync(async () => (await hap.Stats.SendAsync("show table mesh/t", ct)).Contains("key=after-intruder", StringComparison.Ordinal), "the write from sp on HAProxy", ct);
        Assert.Matches(SpEstablished(), await hap.Stats.SendAsync("show peers", ct));
    }

    [Fact]
    public async Task DemoBanner_HaproxyLines_PassHaproxyCheck_WithTableFullNameAndOwnSocket()
    {
        SkipWithoutHaproxy();
        var ct = TestContext.Current.CancellationToken;
        var demo = DemoConfiguration.Create();
        try
        {
            var banner = demo.Instructions;
            var start = banner.IndexOf("    global\n", StringComparison.Ordinal);
            var end = banner.IndexOf("The table's full name", StringComparison.Ordinal);
            Assert.True(start > 0 && end > start, banner);
            var haproxyLines = banner[start..end];
            var path = Path.Combine(_scope.Directory, "pasted.cfg");
            await File.WriteAllTextAsync(path, haproxyLines, ct);

            var (code, output) = await HaproxyCheck.RunAsync(path, ct);

            Assert.True(code == 0, output + "\n" + haproxyLines);
            Assert.DoesNotContain(demo.SocketPath, haproxyLines, StringComparison.Ordinal);
            Assert.Contains("stats socket ", haproxyLines, StringComparison.Ordinal);
            Assert.Contains("show table demo/sessions", banner, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(demo.Directory, recursive: true);
        }
    }

    private async Task<HaproxyProcess> StartHaproxyAsync(int hapPort, int spPort, CancellationToken ct)
    {
        var hap = await HaproxyProcess.StartAsync(new HaproxyOptions { LocalPeerName = "hap", Config = _ => HaproxyConfig.TcpDefaults + "\n" + Peers(hapPort, spPort) }, ct);
        _scope.Own(hap);
        return hap;
    }

    private static string Peers(int hapPort, int spPort) =>
        HaproxyConfig.PeersSection("mesh", [("hap", hapPort), ("sp", spPort)], ["table t type string len 32 size 1k store gpc0"]);

    private string WriteConfig(string name, string socket, int hapPort, int spPort)
    {
        var path = Path.Combine(_scope.Directory, name);
        File.WriteAllText(path, $"global\n    stats socket {socket} level admin\n\n{Peers(hapPort, spPort)}");
        return path;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < s_wait)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100, ct);
        }

        Assert.Fail($"timed out waiting for {what}");
    }

    private static void SkipWithoutHaproxy()
    {
        if (!HaproxyAvailability.IsInstalled)
        {
            Assert.Skip(HaproxyAvailability.SkipReason);
        }
    }

    // "show peers": 2.6 prints "id=sp(remote,active) addr=… last_status=ESTA"; 3.0 puts
    // "app_state=… learn_state=…" between the address and the status.
    [GeneratedRegex(@"id=sp\(remote,active\) addr=\S+ (?:app_state=\S+ learn_state=\S+ )?last_status=ESTA")]
    private static partial Regex SpEstablished();
}
