// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Node.Transport;
using Stickpeer.Node.Transport.Sockets;
using Stickpeer.TestKit.Net;
using Stickpeer.TestKit.Tls;

namespace Stickpeer.Node.Tests.Transport;

public sealed class TlsTransportTests : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);
    private readonly string _dir = Directory.CreateTempSubdirectory("stickpeer-tls-").FullName;
    private readonly TestCertificate _ca = TestCertificates.CreateAuthority();
    private readonly TestCertificate _otherCa = TestCertificates.CreateAuthority("Other CA");
    private readonly Dictionary<string, TestCertificate> _leaves = [];
    private readonly TestCertificate _expired;
    private readonly TestCertificate _wrongCa;
    private readonly int[] _ports = FreePort.GetMany(3);

    public TlsTransportTests()
    {
        foreach (var name in new[] { "a", "b", "c" })
        {
            _leaves[name] = TestCertificates.IssueLeaf(_ca, name);
        }

        // TestCertificates.IssueExpiredLeaf starts before the CA's validity; issue one inside it.
        var now = DateTimeOffset.UtcNow;
        _expired = TestCertificates.IssueLeaf(_ca, "expired", now.AddHours(-12), now.AddHours(-1));
        _wrongCa = TestCertificates.IssueLeaf(_otherCa, "b");
    }

    public void Dispose()
    {
        foreach (var c in _leaves.Values.Append(_ca).Append(_otherCa).Append(_expired).Append(_wrongCa))
        {
            c.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }

    private string Ca => _ca.WriteCertificatePem(_dir, "ca.pem");

    private string Leaf(string name) => _leaves[name].WriteCombinedPem(_dir, name + ".pem");

    private string MutualTlsConfig(string self, string extraServerParams = "") => $"""
        peers mesh
            bind 127.0.0.1:{_ports[self[0] - 'a']} ssl crt {Leaf(self)} ca-file {Ca} verify required
            default-server ssl crt {Leaf(self)} ca-file {Ca} verify required {extraServerParams}
            server a {(self == "a" ? string.Empty : $"127.0.0.1:{_ports[0]}")}
            server b {(self == "b" ? string.Empty : $"127.0.0.1:{_ports[1]}")}
            server c {(self == "c" ? string.Empty : $"127.0.0.1:{_ports[2]}")}
        """;

    [Fact]
    public async Task MutualTls_ThreeNodes_AllSessionsEstablished()
    {
        await using var a = TestNode.Start("a", MutualTlsConfig("a"));
        await using var b = TestNode.Start("b", MutualTlsConfig("b"));
        await using var c = TestNode.Start("c", MutualTlsConfig("c"));

        await a.WaitEstablishedAsync("b", s_wait);
        await a.WaitEstablishedAsync("c", s_wait);
        await b.WaitEstablishedAsync("c", s_wait);
    }

    [Fact]
    public async Task Listener_ClientCertificateFromOtherCa_RefusedLoggedAndListenerKeepsServing()
    {
        await using var a = TestNode.Start("a", MutualTlsConfig("a"));

        await HandshakeWithClientCertificateAsync(_wrongCa);
        var log = await a.Logs.WaitForAsync((id, _) => id.Id == 4004, s_wait);
        Assert.Contains("not signed by a CA of the ca-file", log, StringComparison.Ordinal);

        await using var b = TestNode.Start("b", MutualTlsConfig("b"));
        await a.WaitEstablishedAsync("b", s_wait);
    }

    [Fact]
    public async Task Listener_RepeatedFailures_OneWarningPerIntervalThenACountOfTheRest()
    {
        // The node's clock stands still unless advanced, so "within the interval" does not depend on machine speed.
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        await using var a = TestNode.Start("a", MutualTlsConfig("a"), time: time);

        for (var i = 1; i <= 3; i++)
        {
            await HandshakeWithClientCertificateAsync(_wrongCa);
            await WaitForCountAsync(a, 4004, i);
        }

        Assert.Equal([LogLevel.Warning, LogLevel.Debug, LogLevel.Debug], Levels(a, 4004));

        time.Advance(TimeSpan.FromSeconds(10));
        await HandshakeWithClientCertificateAsync(_wrongCa);
        await WaitForCountAsync(a, 4004, 4);

        Assert.Equal([LogLevel.Warning, LogLevel.Debug, LogLevel.Debug, LogLevel.Warning], Levels(a, 4004));
        var summary = Assert.Single(a.Logs.Entries, e => e.Id.Id == 4016);
        Assert.Contains(": 2 more inbound TLS handshakes failed", summary.Message, StringComparison.Ordinal);
    }

    private static List<LogLevel> Levels(TestNode node, int eventId) =>
        [.. node.Logs.Entries.Where(e => e.Id.Id == eventId).Select(e => e.Level)];

    private static async Task WaitForCountAsync(TestNode node, int eventId, int count)
    {
        var deadline = DateTime.UtcNow + s_wait;
        while (node.Logs.Entries.Count(e => e.Id.Id == eventId) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {count} log lines {eventId}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Listener_ExpiredClientCertificate_Refused()
    {
        await using var a = TestNode.Start("a", MutualTlsConfig("a"));

        await HandshakeWithClientCertificateAsync(_expired);

        var log = await a.Logs.WaitForAsync((id, _) => id.Id == 4004, s_wait);
        Assert.Contains("has expired or is not yet valid", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listener_NoClientCertificate_Refused()
    {
        await using var a = TestNode.Start("a", MutualTlsConfig("a"));

        await HandshakeWithClientCertificateAsync(null);

        var log = await a.Logs.WaitForAsync((id, _) => id.Id == 4004, s_wait);
        Assert.Contains("no client certificate", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listener_PlaintextHello_LoggedAsPlaintextOnTlsPort()
    {
        await using var a = TestNode.Start("a", MutualTlsConfig("a"));

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _ports[0], TestContext.Current.CancellationToken);
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("HAProxyS 2.1\na\nb 1 1\n"), TestContext.Current.CancellationToken);

        var log = await a.Logs.WaitForAsync((id, _) => id.Id == 4005, s_wait);
        Assert.Contains("sent plaintext to the TLS listener", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connector_ServerCertificateFromOtherCa_Refused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, _ports[1]);
        listener.Start();
        var serverTask = ServeTlsOnceAsync(listener, _wrongCa);
        await using var a = TestNode.Start("a", MutualTlsConfig("a"));

        var log = await a.Logs.WaitForAsync((id, m) => id.Id == 4004 && m.Contains("peer b", StringComparison.Ordinal) || id.Id == 4004 && m.Contains(" b ", StringComparison.Ordinal), s_wait);
        Assert.Contains("not signed by a CA of the ca-file", log, StringComparison.Ordinal);
        await serverTask;
    }

    [Theory]
    [InlineData("other-ca", TransportFailure.TlsUnknownCa)]
    [InlineData("expired", TransportFailure.TlsCertificateExpired)]
    public async Task SocketTransport_ServerCertificateRefused_ReportsTheKind(string certificate, TransportFailure expected)
    {
        using var listener = new TcpListener(IPAddress.Loopback, _ports[1]);
        listener.Start();
        var serverTask = ServeTlsOnceAsync(listener, certificate == "expired" ? _expired : _wrongCa);
        var section = TestNode.Parse("a", MutualTlsConfig("a")).PeersSections.Single();
        using var transport = new SocketPeerTransport();

        var ex = await Assert.ThrowsAsync<PeerTransportException>(() =>
            transport.ConnectAsync(section, section.Peers.Single(p => p.Name == "b"), TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(expected, ex.Failure);
        await serverTask;
    }

    [Fact]
    public async Task Connector_SniNameMismatch_Refused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, _ports[1]);
        listener.Start();
        var serverTask = ServeTlsOnceAsync(listener, _leaves["b"]);
        await using var a = TestNode.Start("a", MutualTlsConfig("a", "sni str(other.example)"));

        var log = await a.Logs.WaitForAsync((id, _) => id.Id == 4004, s_wait);
        Assert.Contains("does not match the expected name 'other.example'", log, StringComparison.Ordinal);
        await serverTask;
    }

    private async Task HandshakeWithClientCertificateAsync(TestCertificate? clientCertificate)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _ports[0], TestContext.Current.CancellationToken);
        await using var ssl = new SslStream(client.GetStream());
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = clientCertificate is null ? null : [clientCertificate.Certificate],
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
            }, TestContext.Current.CancellationToken);

            // With TLS 1.3 the server checks the client certificate after the client finished:
            // the refusal shows up as a failed or closed read.
            await ssl.WriteAsync(Encoding.ASCII.GetBytes("HAProxyS 2.1\na\nb 1 1\n"), TestContext.Current.CancellationToken);
            var buffer = new byte[16];
            var n = await ssl.ReadAsync(buffer, TestContext.Current.CancellationToken);
            Assert.Equal(0, n);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            // Refused during the handshake.
        }
    }

    private static async Task ServeTlsOnceAsync(TcpListener listener, TestCertificate serverCertificate)
    {
        using var socket = await listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
        await using var ssl = new SslStream(socket.GetStream());
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = serverCertificate.Certificate,
                ClientCertificateRequired = false,
            }, TestContext.Current.CancellationToken);
            var buffer = new byte[64];
            _ = await ssl.ReadAsync(buffer, TestContext.Current.CancellationToken);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            // The node refused our certificate.
        }
    }
}
