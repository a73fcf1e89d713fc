// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net.Sockets;
using System.Text;
using Stickpeer.Daemon.Cli;
using Stickpeer.TestKit.Haproxy;
using Stickpeer.TestKit.Net;
using Stickpeer.TestKit.Tls;

namespace Stickpeer.Interop.Tests.MixedMesh;

/// <summary>
/// Real HAProxy 2.6 processes and in-process Stickpeer daemons share one peers section; entries
/// set on any node must show up on every other (compared through each node's <c>show table</c>).
/// </summary>
[Trait("Category", "Interop")]
public sealed class MixedMeshTests : IAsyncDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private static readonly (string Key, string Gpc0)[] s_seeded = [("a", "11"), ("b", "12"), ("c", "13"), ("d", "14")];
    private readonly string _dir = Directory.CreateTempSubdirectory("stickpeer-mesh-").FullName;
    private readonly List<HaproxyProcess> _haproxies = [];
    private readonly Dictionary<string, (CancellationTokenSource Stop, Task<int> Run)> _daemons = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var hap in _haproxies)
        {
            await hap.DisposeAsync();
        }

        foreach (var name in _daemons.Keys.ToList())
        {
            await StopStickpeerAsync(name, failOnTimeout: false);
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task HaproxyAndStickpeer_PlainTcp_EntriesReplicateBothWays()
    {
        SkipWithoutHaproxy();
        var ports = FreePort.GetMany(2);
        var peers = PeersSection([("hapA", ports[0]), ("sp1", ports[1])], tls: null);

        var hap = await StartHaproxyAsync("hapA", peers);
        var sp = await StartStickpeerAsync("sp1", peers);

        await hap.Stats.SendAsync("set table mesh/t key from-hap data.gpc0 1", TestContext.Current.CancellationToken);
        await CliAsync(sp, "set table mesh/t key from-sp data.gpc0 2\n");

        await WaitForKeysAsync(hap, sp, ("from-hap", "1"), ("from-sp", "2"));
    }

    [Fact]
    public async Task TwoHaproxyTwoStickpeer_MutualTls_FullMeshReplicates()
    {
        SkipWithoutHaproxy();
        await StartReplicatedMeshAsync();
    }

    [Fact]
    public async Task TwoHaproxyTwoStickpeer_MutualTls_RestartedStickpeer_RelearnsEverything()
    {
        SkipWithoutHaproxy();
        var mesh = await StartReplicatedMeshAsync();

        await StopStickpeerAsync("sp1");
        var sp1 = await StartStickpeerAsync("sp1", mesh.Peers);
        await WaitForKeysAsync(mesh.HapA, sp1, s_seeded);

        await CliAsync(sp1, "set table mesh/t key e data.gpc0 15\n");
        await WaitForKeysAsync(mesh.HapA, sp1, ("e", "15"));
        await WaitForKeysAsync(mesh.HapB, mesh.Sp2, ("e", "15"));
    }

    [Fact]
    public async Task TwoHaproxyTwoStickpeer_MutualTls_RestartedHaproxy_RelearnsEverythingFromTheMesh()
    {
        SkipWithoutHaproxy();
        var mesh = await StartReplicatedMeshAsync();

        await mesh.HapA.KillAsync();
        var hapA = await StartHaproxyAsync("hapA", mesh.Peers);
        await WaitForKeysAsync(hapA, mesh.Sp1, s_seeded);
        await WaitForKeysAsync(mesh.HapB, mesh.Sp2, s_seeded);
    }

    [Fact]
    public async Task TwoHaproxyTwoStickpeer_MutualTls_RestartedHaproxyWithOnlyStickpeerAlive_RelearnsEverythingFromStickpeer()
    {
        SkipWithoutHaproxy();
        var mesh = await StartReplicatedMeshAsync();

        // With hapB gone, the only established peers a restarted hapA can ask for a resync are Stickpeer daemons.
        await mesh.HapB.KillAsync();
        await mesh.HapA.KillAsync();
        var hapA = await StartHaproxyAsync("hapA", mesh.Peers);
        await WaitForKeysAsync(hapA, mesh.Sp1, s_seeded);
        await WaitForKeysAsync(hapA, mesh.Sp2, s_seeded);
    }

    /// <summary>
    /// Starts hapA, hapB, sp1 and sp2 over mutual TLS, sets one key on each node and waits until
    /// all four keys are on every node.
    /// </summary>
    private async Task<Mesh> StartReplicatedMeshAsync()
    {
        using var ca = TestCertificates.CreateAuthority();
        using var leaf = TestCertificates.IssueLeaf(ca, "peers");
        var tls = (Crt: leaf.WriteCombinedPem(_dir, "peers.pem"), Ca: ca.WriteCertificatePem(_dir, "ca.pem"));
        var ports = FreePort.GetMany(4);
        var peers = PeersSection([("hapA", ports[0]), ("hapB", ports[1]), ("sp1", ports[2]), ("sp2", ports[3])], tls);

        var hapA = await StartHaproxyAsync("hapA", peers);
        var hapB = await StartHaproxyAsync("hapB", peers);
        var sp1 = await StartStickpeerAsync("sp1", peers);
        var sp2 = await StartStickpeerAsync("sp2", peers);

        await hapA.Stats.SendAsync("set table mesh/t key a data.gpc0 11", TestContext.Current.CancellationToken);
        await hapB.Stats.SendAsync("set table mesh/t key b data.gpc0 12", TestContext.Current.CancellationToken);
        await CliAsync(sp1, "set table mesh/t key c data.gpc0 13\n");
        await CliAsync(sp2, "set table mesh/t key d data.gpc0 14\n");

        await WaitForKeysAsync(hapA, sp1, s_seeded);
        await WaitForKeysAsync(hapB, sp2, s_seeded);
        return new Mesh(peers, hapA, hapB, sp1, sp2);
    }

    private static void SkipWithoutHaproxy()
    {
        HaproxyUnderTest.RequireOrSkip();
    }

    private static string PeersSection(IEnumerable<(string Name, int Port)> nodes, (string Crt, string Ca)? tls)
    {
        var sb = new StringBuilder("peers mesh\n");
        if (tls is { } t)
        {
            sb.Append($"    default-bind ssl crt {t.Crt} ca-file {t.Ca} verify required\n");
            sb.Append($"    default-server ssl crt {t.Crt} ca-file {t.Ca} verify required\n");
        }

        foreach (var (name, port) in nodes)
        {
            sb.Append($"    peer {name} 127.0.0.1:{port}\n");
        }

        sb.Append("    table t type string len 32 size 1k expire 5m store gpc0,http_req_rate(10s)\n");
        return sb.ToString();
    }

    private async Task<HaproxyProcess> StartHaproxyAsync(string name, string peers)
    {
        var hap = await HaproxyProcess.StartAsync(
            new HaproxyOptions { LocalPeerName = name, Config = _ => HaproxyConfig.TcpDefaults + "\n" + peers },
            TestContext.Current.CancellationToken);
        _haproxies.Add(hap);
        return hap;
    }

    private async Task<string> StartStickpeerAsync(string name, string peers)
    {
        var socket = Path.Combine(_dir, name + ".sock");
        var config = Path.Combine(_dir, name + ".cfg");
        await File.WriteAllTextAsync(config, $"global\n    stats socket {socket} level admin\n\n{peers}", TestContext.Current.CancellationToken);
        var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var run = StickpeerCommand.RunAsync(["-f", config, "-L", name, "-q"], TextReader.Null, TextWriter.Null, TextWriter.Null, _ => started.TrySetResult(), stop.Token);
        _daemons.Add(name, (stop, run));
        await Task.WhenAny(started.Task, run).WaitAsync(s_wait, TestContext.Current.CancellationToken);
        if (run.IsCompleted)
        {
            Assert.Fail($"stickpeer {name} exited with {await run}");
        }

        return socket;
    }

    /// <summary>Cancels one in-process daemon and waits for it to exit (its listener and socket are released).</summary>
    private async Task StopStickpeerAsync(string name, bool failOnTimeout = true)
    {
        var (stop, run) = _daemons[name];
        _daemons.Remove(name);
        await stop.CancelAsync();
        try
        {
            await run.WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException) when (!failOnTimeout)
        {
            // Reported by the test itself when it matters.
        }
        finally
        {
            stop.Dispose();
        }
    }

    private static async Task WaitForKeysAsync(HaproxyProcess hap, string stickpeerSocket, params (string Key, string Gpc0)[] expected)
    {
        var deadline = DateTime.UtcNow + s_wait;
        string hapText = string.Empty, spText = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            hapText = await hap.Stats.SendAsync("show table mesh/t", TestContext.Current.CancellationToken);
            spText = await CliAsync(stickpeerSocket, "show table mesh/t\n");
            if (expected.All(e => HasEntry(hapText, e) && HasEntry(spText, e)))
            {
                return;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"entries did not replicate.\nhaproxy {hap.LocalPeerName}:\n{hapText}\nstickpeer:\n{spText}\nhaproxy log:\n{hap.Output}");
    }

    private static bool HasEntry(string showTable, (string Key, string Gpc0) e)
    {
        var dump = TableDump.Parse(showTable);
        return dump.Count == 1 && dump[0].Find(e.Key) is { } line && line["gpc0"] == e.Gpc0;
    }

    private static async Task<string> CliAsync(string path, string request)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), TestContext.Current.CancellationToken);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), TestContext.Current.CancellationToken);
        var output = new StringBuilder();
        var buffer = new byte[8192];
        for (var i = 0; i < 10_000; i++)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(), TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            if (n == 0)
            {
                break;
            }

            output.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return output.ToString();
    }

    private sealed record Mesh(string Peers, HaproxyProcess HapA, HaproxyProcess HapB, string Sp1, string Sp2);
}
