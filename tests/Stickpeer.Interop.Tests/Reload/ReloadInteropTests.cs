// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using Stickpeer.TestKit.Daemon;
using Stickpeer.TestKit.Haproxy;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Interop.Tests.Reload;

/// <summary>
/// A Stickpeer process (peer <c>sp</c>) reloaded with <c>-sf</c> while a real HAProxy (peer <c>hap</c>)
/// keeps writing to the shared table: afterwards both hold the same entries with the same values.
/// </summary>
[Trait("Category", "Interop")]
public sealed class ReloadInteropTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Reload_UnderLiveHaproxyUpdates_BothSidesAgree()
    {
        HaproxyUnderTest.RequireOrSkip();
        var ct = TestContext.Current.CancellationToken;
        var dir = Directory.CreateTempSubdirectory("stickpeer-reload-hap-").FullName;
        try
        {
            var ports = FreePort.GetMany(2);
            var peers = $"""
                peers mesh
                    peer hap 127.0.0.1:{ports[0]}
                    peer sp 127.0.0.1:{ports[1]}
                    table t type string len 32 size 50k expire 5m store gpc0
                """;
            var socket = Path.Combine(dir, "sp.sock");
            var cfg = Path.Combine(dir, "sp.cfg");
            await File.WriteAllTextAsync(cfg, $"global\n    stats socket {socket} level admin\n\n{peers}\n", ct);
            await using var hap = await HaproxyProcess.StartAsync(new HaproxyOptions { LocalPeerName = "hap", Config = _ => HaproxyConfig.TcpDefaults + "\n" + peers + "\n" }, ct);
            await using var old = DaemonProcess.Start("-f", cfg, "-L", "sp");
            await old.WaitForCliAsync(socket, Wait, ct);

            // 2 000 entries learned by the old process before the reload.
            await using (var prompt = await hap.Stats.OpenPromptAsync(ct))
            {
                await prompt.ExecuteManyAsync([.. Enumerable.Range(0, 2000).Select(i => $"set table mesh/t key seed{i} data.gpc0 {i}")], ct);
            }

            await WaitForAgreementAsync(hap, socket, minimum: 2000, ct);

            // Live writes on HAProxy throughout the reload: 200 keys rewritten over and over, plus new keys.
            using var stopTraffic = new CancellationTokenSource();
            var written = 0;
            var traffic = Task.Run(
                async () =>
                {
                    await using var prompt = await hap.Stats.OpenPromptAsync(ct);
                    for (var i = 0; i < 200_000 && !stopTraffic.IsCancellationRequested; i++)
                    {
                        await prompt.ExecuteManyAsync([$"set table mesh/t key live{i % 200} data.gpc0 {i}", $"set table mesh/t key new{i} data.gpc0 {i}"], ct);
                        written = i + 1;
                        await Task.Delay(2, ct);
                    }
                },
                ct);

            await Task.Delay(500, ct);
            await using var next = DaemonProcess.Start("-f", cfg, "-L", "sp", "-sf", old.ProcessId.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(0, await old.WaitForExitAsync(Wait));
            await next.WaitForCliAsync(socket, Wait, ct);
            await Task.Delay(1000, ct);
            await stopTraffic.CancelAsync();
            await traffic.WaitAsync(Wait, ct);

            Assert.True(written > 0);
            TestContext.Current.TestOutputHelper?.WriteLine($"{written} live write pairs on HAProxy during the reload");
            Assert.Contains("Hand-over complete", old.Output, StringComparison.Ordinal);
            var agreed = await WaitForAgreementAsync(hap, socket, minimum: 2000 + Math.Min(200, written) + written, ct);
            Assert.Equal("1999", agreed["seed1999"]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Polls both <c>show table</c>s until they hold the same keys and gpc0 values (at least <paramref name="minimum"/>).</summary>
    private static async Task<Dictionary<string, string>> WaitForAgreementAsync(HaproxyProcess hap, string socket, int minimum, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + Wait;
        Dictionary<string, string> h = [], s = [];
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            h = Entries(await hap.Stats.SendAsync("show table mesh/t", ct));
            s = Entries(await UnixCli.SendAsync(socket, "show table mesh/t", ct));
            if (h.Count >= minimum && h.Count == s.Count && h.All(kv => s.TryGetValue(kv.Key, out var v) && v == kv.Value))
            {
                return s;
            }

            if (DateTime.UtcNow >= deadline)
            {
                break;
            }

            await Task.Delay(250, ct);
        }

        var differing = h.Where(kv => !s.TryGetValue(kv.Key, out var v) || v != kv.Value).Take(10).Select(kv => $"{kv.Key}: hap={kv.Value} sp={(s.TryGetValue(kv.Key, out var v) ? v : "(missing)")}");
        Assert.Fail($"tables differ (haproxy {h.Count} entries, stickpeer {s.Count}, expected at least {minimum}):\n{string.Join('\n', differing)}\nhaproxy log:\n{hap.Output}");
        return s;
    }

    private static Dictionary<string, string> Entries(string showTable) =>
        TableDump.Parse(showTable).Single().Entries.ToDictionary(e => e.Key, e => e["gpc0"] ?? string.Empty, StringComparer.Ordinal);
}
