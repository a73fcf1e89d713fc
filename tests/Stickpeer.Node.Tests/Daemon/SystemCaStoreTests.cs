// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Stickpeer.Daemon.Cli;
using Stickpeer.Daemon.Hosting;
using Stickpeer.TestKit;
using Stickpeer.TestKit.Daemon;
using Stickpeer.TestKit.Net;
using Stickpeer.TestKit.Tls;

namespace Stickpeer.Node.Tests.Daemon;

/// <summary>
/// The daemon process empties .NET's view of the system CA store (SSL_CERT_FILE/SSL_CERT_DIR) so its
/// chain builds do not read it; peers are still verified against their ca-file, as strictly.
/// </summary>
public sealed class SystemCaStoreTests
{
    [Theory]
    [InlineData(CommandMode.Run, true, true)]
    [InlineData(CommandMode.Demo, true, true)]
    [InlineData(CommandMode.Run, false, false)]
    [InlineData(CommandMode.Check, true, false)]
    [InlineData(CommandMode.Top, true, false)]
    [InlineData(CommandMode.WaitReady, true, false)]
    [InlineData(CommandMode.Decode, true, false)]
    [InlineData(null, true, false)]
    public void ShouldDetach_OnlyADaemonRunWhereDotnetUsesOpenSsl(CommandMode? mode, bool openSsl, bool expected) =>
        Assert.Equal(expected, SystemCaStore.ShouldDetach(mode, openSsl));

    [Fact]
    public async Task DaemonProcess_MutualTls_ReplicatesAndStillRefusesACertificateOfAnotherCa()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the system store is detached where .NET uses OpenSSL");
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new TestScope("stickpeer-castore-");
        using var ca = TestCertificates.CreateAuthority();
        using var otherCa = TestCertificates.CreateAuthority("Other CA");
        using var leaf = TestCertificates.IssueLeaf(ca, "peers");
        using var stranger = TestCertificates.IssueLeaf(otherCa, "peers");
        var crt = leaf.WriteCombinedPem(scope.Directory, "peers.pem");
        var caFile = ca.WriteCertificatePem(scope.Directory, "ca.pem");
        var ports = FreePort.GetMany(2);
        string Config(string self) => $"""
            global
                stats socket {Path.Combine(scope.Directory, self + ".sock")} level admin

            peers mesh
                default-bind ssl crt {crt} ca-file {caFile} verify required
                default-server ssl crt {crt} ca-file {caFile} verify required
                peer a 127.0.0.1:{ports[0]}
                peer b 127.0.0.1:{ports[1]}
                table t type string len 32 size 10k expire 1h store gpc0

            """;
        foreach (var name in new[] { "a", "b" })
        {
            await File.WriteAllTextAsync(Path.Combine(scope.Directory, name + ".cfg"), Config(name), ct);
        }

        await using var a = DaemonProcess.Start("-f", Path.Combine(scope.Directory, "a.cfg"), "-L", "a", "-d");
        await using var b = DaemonProcess.Start("-f", Path.Combine(scope.Directory, "b.cfg"), "-L", "b", "-d");
        var socketA = Path.Combine(scope.Directory, "a.sock");
        var socketB = Path.Combine(scope.Directory, "b.sock");
        await a.WaitForCliAsync(socketA, TimeSpan.FromSeconds(60), ct);
        await b.WaitForCliAsync(socketB, TimeSpan.FromSeconds(60), ct);
        Assert.Contains("the system CA store is not read", a.Output, StringComparison.Ordinal);

        // Verified against the ca-file alone, the certificates of the same CA pass ...
        await UnixCli.SendAsync(socketA, "set table mesh/t key k1 data.gpc0 7", ct);
        await WaitForAsync(async () => (await UnixCli.SendAsync(socketB, "show table mesh/t key k1", ct)).Contains("gpc0=7", StringComparison.Ordinal), "k1 reached b");

        // ... and one of another CA is refused, as before.
        await HandshakeWithClientCertificateAsync(ports[1], stranger, ct);
        await WaitForAsync(() => Task.FromResult(b.Output.Contains("not signed by a CA of the ca-file", StringComparison.Ordinal)), "b logged the refusal");
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        for (var i = 0; i < 3000; i++)
        {
            if (await condition())
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "timed out: " + what);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.Fail("gave up: " + what);
    }

    private static async Task HandshakeWithClientCertificateAsync(int port, TestCertificate clientCertificate, CancellationToken ct)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, ct);
        await using var ssl = new SslStream(client.GetStream());
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = [clientCertificate.Certificate],
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
            }, ct);

            // With TLS 1.3 the server checks the client certificate after the client finished.
            await ssl.WriteAsync(Encoding.ASCII.GetBytes("HAProxyS 2.1\nb\na 1 1\n"), ct);
            var n = await ssl.ReadAsync(new byte[16], ct);
            Assert.Equal(0, n);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            // Refused during the handshake.
        }
    }
}
