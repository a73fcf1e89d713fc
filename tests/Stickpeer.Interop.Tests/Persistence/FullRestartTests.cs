// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text;
using Stickpeer.Daemon.Cli;
using Stickpeer.TestKit;
using Stickpeer.TestKit.Daemon;
using Stickpeer.TestKit.Haproxy;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Interop.Tests.Persistence;

/// <summary>
/// HAProxy issue #1945: a restart of every node of a peers mesh used to lose every entry. With a
/// persistent Stickpeer in the mesh, the entries come back: Stickpeer loads them from its data
/// directory and teaches them to the restarted HAProxy processes, which ask it for a resync.
/// </summary>
[Trait("Category", "Interop")]
public sealed class FullRestartTests
{
    private const uint ExpireMs = 300_000;
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TwoHaproxyOnePersistentStickpeer_AllStoppedAndStarted_HaproxyShowsTheEntriesAgain()
    {
        HaproxyUnderTest.RequireOrSkip();
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new TestScope("sp-fullrestart");
        var ports = FreePort.GetMany(3);
        var peers = new StringBuilder("peers mesh\n")
            .Append(CultureInfo.InvariantCulture, $"    peer hapA 127.0.0.1:{ports[0]}\n")
            .Append(CultureInfo.InvariantCulture, $"    peer hapB 127.0.0.1:{ports[1]}\n")
            .Append(CultureInfo.InvariantCulture, $"    peer sp1 127.0.0.1:{ports[2]}\n")
            .Append("    table t type string len 32 size 1k expire 5m store gpc0,http_req_rate(10s)\n")
            .ToString();
        var sock = Path.Combine(scope.Directory, "sp1.sock");
        var cfg = Path.Combine(scope.Directory, "sp1.cfg");
        await File.WriteAllTextAsync(cfg, $"global\n    stats socket {sock} level admin\n\n{peers}", ct);
        string[] spArgs = ["-f", cfg, "-L", "sp1", "-q", "--data-dir", Path.Combine(scope.Directory, "data"), "--fsync", "always"];
        var expected = Enumerable.Range(0, 30).Select(i => ($"key{i}", (i * 7).ToString(CultureInfo.InvariantCulture))).ToArray();

        // First life: populate through HAProxy's own stats sockets; Stickpeer learns it all.
        await using (var sp = CommandRun.Start(StickpeerCommand.RunAsync, spArgs))
        {
            Assert.NotNull(await sp.StartedOrExitedAsync(s_wait, ct));
            await using var hapA = await StartHaproxyAsync("hapA", peers, ct);
            await using var hapB = await StartHaproxyAsync("hapB", peers, ct);
            foreach (var (key, value) in expected)
            {
                var hap = key.GetHashCode(StringComparison.Ordinal) % 2 == 0 ? hapA : hapB;
                await hap.Stats.SendAsync($"set table mesh/t key {key} data.gpc0 {value}", ct);
            }

            await WaitForAsync(() => UnixCli.SendAsync(sock, "show table mesh/t", ct), expected, "stickpeer (first life)", ct);

            // Every process goes: HAProxy killed, Stickpeer stopped.
            await hapA.KillAsync();
            await hapB.KillAsync();
            Assert.Equal(ExitCodes.Success, await sp.StopAsync(TimeSpan.FromSeconds(15)));
        }

        await Task.Delay(TimeSpan.FromSeconds(2), ct);

        // Second life: Stickpeer first (it loads its data directory), then both HAProxy processes, empty.
        await using (var sp = CommandRun.Start(StickpeerCommand.RunAsync, spArgs))
        {
            Assert.NotNull(await sp.StartedOrExitedAsync(s_wait, ct));
            await using var hapA = await StartHaproxyAsync("hapA", peers, ct);
            await using var hapB = await StartHaproxyAsync("hapB", peers, ct);
            var a = await WaitForAsync(() => hapA.Stats.SendAsync("show table mesh/t", ct), expected, "hapA (second life)\n" + hapA.Output, ct);
            var b = await WaitForAsync(() => hapB.Stats.SendAsync("show table mesh/t", ct), expected, "hapB (second life)\n" + hapB.Output, ct);

            // Remaining expiry: what was left at the stop, minus the downtime: below 5 min, well above 4.
            Assert.All(a.Entries.Concat(b.Entries), e => Assert.InRange(e.ExpireMs, 200_000, ExpireMs));
        }
    }

    private static async Task<HaproxyProcess> StartHaproxyAsync(string name, string peers, CancellationToken ct) =>
        await HaproxyProcess.StartAsync(new HaproxyOptions { LocalPeerName = name, Config = _ => HaproxyConfig.TcpDefaults + "\n" + peers }, ct);

    private static async Task<TableDump> WaitForAsync(Func<Task<string>> show, (string Key, string Gpc0)[] expected, string who, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + s_wait;
        var text = string.Empty;
        for (var i = 0; i < 1000 && DateTime.UtcNow < deadline; i++)
        {
            text = await show();
            var dumps = TableDump.Parse(text);
            if (dumps.Count == 1 && expected.All(e => dumps[0].Find(e.Key)?["gpc0"] == e.Gpc0))
            {
                return dumps[0];
            }

            await Task.Delay(200, ct);
        }

        Assert.Fail($"{who}: entries missing after {s_wait.TotalSeconds} s; show table:\n{text}");
        return null!;
    }
}
