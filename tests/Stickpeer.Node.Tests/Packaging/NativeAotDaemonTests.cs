// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Runtime.InteropServices;
using Stickpeer.TestKit;
using Stickpeer.TestKit.Daemon;
using Stickpeer.TestKit.Haproxy;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Packaging;

/// <summary>
/// The build docs/operations.md ships, Native AOT, published as an operator would and run as a real
/// process peered with a real HAProxy: the peers protocol both ways, the stats-socket CLI and the
/// HTTP endpoints (JSON and Prometheus) work without the JIT. The rest of the suite runs the JIT
/// build; this is what catches code that only trimming or AOT compilation breaks.
/// </summary>
[Trait("Category", "Packaging")]
[Collection(PackagingCollection.Name)]
public sealed class NativeAotDaemonTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_native_aot_daemon_peers_with_haproxy_and_answers_cli_and_http()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.SkipWhen(!OperatingSystem.IsLinux() || !OnPath("clang"), "Native AOT needs clang and zlib (Debian: apt-get install -y clang zlib1g-dev)");
        Assert.SkipWhen(!HaproxyAvailability.IsInstalled, HaproxyAvailability.SkipReason);
        await using var scope = new TestScope("stickpeer-aot-");
        var output = Path.Combine(scope.Directory, "publish");
        var rid = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var project = Path.Combine(TestPaths.RepoRoot, "src", "Stickpeer.Daemon");
        var (exit, log) = await DotnetCli.RunAsync(
            "dotnet",
            $"publish \"{project}\" -c Release -r {rid} -p:PublishAot=true -o \"{output}\" --artifacts-path \"{Path.Combine(scope.Directory, "artifacts")}\" -nologo",
            TestPaths.RepoRoot,
            null,
            TimeSpan.FromMinutes(10));
        Assert.True(exit == 0, log);
        var executable = Path.Combine(output, "stickpeer");
        Assert.True(File.Exists(executable), "no native executable in " + output);
        Assert.False(File.Exists(Path.Combine(output, "stickpeer.dll")), "a managed stickpeer.dll was published: not a Native AOT build");

        var ports = FreePort.GetMany(3);
        var peers = HaproxyConfig.PeersSection("mesh", [("hap", ports[0]), ("sp", ports[1])], ["table t type string len 32 size 1k store gpc0,http_req_rate(10s)"]);
        await using var hap = await HaproxyProcess.StartAsync(new HaproxyOptions { LocalPeerName = "hap", Config = _ => HaproxyConfig.TcpDefaults + "\n" + peers }, ct);
        var socket = Path.Combine(scope.Directory, "sp.sock");
        var config = Path.Combine(scope.Directory, "sp.cfg");
        await File.WriteAllTextAsync(config, $"global\n    stats socket {socket} level admin\n\n{peers}", ct);
        await using var sp = DaemonProcess.StartExecutable(executable, "-f", config, "-L", "sp", "--http", $"127.0.0.1:{ports[2]}");
        await sp.WaitForCliAsync(socket, s_wait, ct);

        // Both directions of the peers protocol.
        Assert.Equal("\n", await UnixCli.SendAsync(socket, "set table mesh/t key from-sp data.gpc0 7", ct));
        await hap.Stats.SendAsync("set table mesh/t key from-hap data.gpc0 9", ct);
        await WaitAsync(async () => (await hap.Stats.SendAsync("show table mesh/t key from-sp", ct)).Contains("gpc0=7", StringComparison.Ordinal), "sp's write on HAProxy", sp, ct);
        await WaitAsync(async () => (await UnixCli.SendAsync(socket, "show table mesh/t key from-hap", ct)).Contains("gpc0=9", StringComparison.Ordinal), "HAProxy's write on sp", sp, ct);

        // The GC's gen0 budget compiled into the binary (Stickpeer.Daemon.csproj; its effect is measured in
        // docs/benchmarks.md, "Memory above the heap"): ILC embeds it as a runtime setting.
        Assert.True(ContainsAscii(await File.ReadAllBytesAsync(executable, ct), "GCgen0size\0400000"), "no GCgen0size setting embedded in " + executable);
        Assert.Matches("gc: allocated [1-9][0-9]* bytes, collections gen0 [0-9]+", await UnixCli.SendAsync(socket, "debug gc", ct));

        // HTTP: the JSON API (source-generated serialisation) and the Prometheus exporter.
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports[2]}"), Timeout = s_wait };
        Assert.Contains("from-hap", await http.GetStringAsync("/api/tables/mesh/t?key=from-hap", ct), StringComparison.Ordinal);
        using (var put = await http.PutAsync("/api/tables/mesh%2Ft/entries/from-http", new StringContent("""{"gpc0": 5}""", System.Text.Encoding.UTF8, "application/json"), ct))
        {
            Assert.True(put.IsSuccessStatusCode, $"{(int)put.StatusCode}: {await put.Content.ReadAsStringAsync(ct)}");
        }

        await WaitAsync(async () => (await hap.Stats.SendAsync("show table mesh/t key from-http", ct)).Contains("gpc0=5", StringComparison.Ordinal), "the HTTP write on HAProxy", sp, ct);
        Assert.Contains("stickpeer_peer_up", await http.GetStringAsync("/metrics", ct), StringComparison.Ordinal);

        sp.Terminate();
        var code = await sp.WaitForExitAsync(s_wait);
        Assert.True(code == 0, $"exit {code} after SIGTERM:\n{sp.Output}");
    }

    private static bool ContainsAscii(byte[] data, string text) => data.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(text)) >= 0;

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, program)));

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, DaemonProcess sp, CancellationToken ct)
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

        Assert.Fail($"timed out waiting for {what}; stickpeer's output:\n{sp.Output}");
    }
}
