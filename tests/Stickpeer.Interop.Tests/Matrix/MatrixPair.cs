// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using System.Text;
using Stickpeer.Interop.Tests.Scenario;
using Stickpeer.Daemon.Cli;
using Stickpeer.TestKit.Haproxy;
using Stickpeer.TestKit.Net;
using Stickpeer.TestKit.Tls;

namespace Stickpeer.Interop.Tests.Matrix;

/// <summary>
/// One real HAProxy (peer <c>hap</c>) and one in-process Stickpeer daemon (peer <c>sp</c>) in the
/// matrix's peers section, plain or over mutual TLS; either side can be restarted.
/// </summary>
internal sealed class MatrixPair : IAsyncDisposable
{
    private static readonly TimeSpan s_start = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("stickpeer-matrix-").FullName;
    private readonly string _peers;
    private readonly string _traffic;
    private readonly int _binaryPort;
    private readonly int _stickPort;
    private readonly EchoServer _server = new();
    private (CancellationTokenSource Stop, Task<int> Run)? _daemon;

    public MatrixPair(bool tls)
    {
        var ports = FreePort.GetMany(4);
        (_binaryPort, _stickPort) = (ports[2], ports[3]);
        _traffic = MatrixTables.HaproxyTraffic(_binaryPort, _stickPort, _server.Port);
        var sb = new StringBuilder($"peers {MatrixTables.Section}\n");
        if (tls)
        {
            using var ca = TestCertificates.CreateAuthority();
            using var leaf = TestCertificates.IssueLeaf(ca, "peers");
            var crt = leaf.WriteCombinedPem(_dir, "peers.pem");
            var caFile = ca.WriteCertificatePem(_dir, "ca.pem");
            sb.Append($"    default-bind ssl crt {crt} ca-file {caFile} verify required\n");
            sb.Append($"    default-server ssl crt {crt} ca-file {caFile} verify required\n");
        }

        sb.Append($"    peer hap 127.0.0.1:{ports[0]}\n    peer sp 127.0.0.1:{ports[1]}\n");
        foreach (var line in MatrixTables.Declarations)
        {
            sb.Append("    ").Append(line).Append('\n');
        }

        _peers = sb.ToString();
        Stickpeer = new StatsSocketClient(Path.Combine(_dir, "sp.sock"));
    }

    public HaproxyProcess? Haproxy { get; private set; }

    /// <summary>The Stickpeer daemon's stats socket (it answers like HAProxy's).</summary>
    public StatsSocketClient Stickpeer { get; }

    public string HaproxyLog => Haproxy?.Output ?? "(not started)";

    public async Task StartHaproxyAsync(CancellationToken ct)
    {
        Haproxy = await HaproxyProcess.StartAsync(
            new HaproxyOptions { LocalPeerName = "hap", Config = _ => HaproxyConfig.TcpDefaults + "\n" + _peers + "\n" + _traffic }, ct);
    }

    /// <summary>Sends one client connection's bytes to HAProxy's traffic frontend (binary or stick) and waits for it to close.</summary>
    public async Task SendTrafficAsync(bool binary, byte[] payload, CancellationToken ct)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, binary ? _binaryPort : _stickPort, ct);
        await client.SendAsync(payload, ct);
        client.Shutdown(SocketShutdown.Send);
        var buffer = new byte[256];
        for (var i = 0; i < 100 && await client.ReceiveAsync(buffer, ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct) > 0; i++)
        {
            // Drain whatever the server echoes until HAProxy closes the connection.
        }
    }

    public async Task KillHaproxyAsync()
    {
        if (Haproxy is { } hap)
        {
            await hap.DisposeAsync();
            Haproxy = null;
        }
    }

    public async Task StartStickpeerAsync(CancellationToken ct)
    {
        var config = Path.Combine(_dir, "sp.cfg");
        await File.WriteAllTextAsync(config, $"global\n    stats socket {Stickpeer.SocketPath} level admin\n\n{_peers}", ct);
        var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var run = StickpeerCommand.RunAsync(["-f", config, "-L", "sp", "-q"], TextReader.Null, TextWriter.Null, TextWriter.Null, _ => started.TrySetResult(), stop.Token);
        _daemon = (stop, run);
        await Task.WhenAny(started.Task, run).WaitAsync(s_start, ct);
        if (run.IsCompleted)
        {
            Assert.Fail($"stickpeer exited with {await run}");
        }
    }

    public async Task StopStickpeerAsync()
    {
        if (_daemon is not { } d)
        {
            return;
        }

        _daemon = null;
        await d.Stop.CancelAsync();
        try
        {
            await d.Run.WaitAsync(TimeSpan.FromSeconds(15));
        }
        finally
        {
            d.Stop.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillHaproxyAsync();
        try
        {
            await StopStickpeerAsync();
        }
        catch (TimeoutException)
        {
            // A daemon that does not stop is reported by the test that needed it to.
        }

        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
