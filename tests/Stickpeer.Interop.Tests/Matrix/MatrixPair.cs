// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using System.Text;
using Stickpeer.Interop.Tests.Lessons;
using Stickpeer.Interop.Tests.Scenario;
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
    private readonly string _dir = Directory.CreateTempSubdirectory("stickpeer-matrix-").FullName;
    private readonly string _peers;
    private readonly string _traffic;
    private readonly int _binaryPort;
    private readonly int _stickPort;
    private readonly EchoServer _server = new();
    private StickpeerDaemon? _daemon;

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

    public async Task StartStickpeerAsync(CancellationToken ct) =>
        _daemon = await StickpeerDaemon.StartAsync("sp", _peers, _dir, ct);

    public async Task StopStickpeerAsync()
    {
        if (_daemon is { } daemon)
        {
            _daemon = null;
            await daemon.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillHaproxyAsync();
        await StopStickpeerAsync();

        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
