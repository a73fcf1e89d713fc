// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Stickpeer.Node.Tests.Diagnostics;
using Stickpeer.Node.Tests.Transport;
using Stickpeer.Protocol.Model;
using Stickpeer.TestKit.Net;
using Stickpeer.TestKit.Tls;

namespace Stickpeer.Node.Tests.Hostile;

/// <summary>
/// A TLS handshake flood against node a of a mutual-TLS pair while b keeps writing: silent clients,
/// clients that stop inside their ClientHello, and full handshakes without a client certificate
/// (refused by <c>verify required</c>). b's session is never dropped and every write arrives, the
/// managed heap of this process stays under a ceiling, and the failures are logged at most once per
/// 10 s with a count instead of once per client.
/// </summary>
public sealed class TlsFloodTests : IDisposable
{
    private const int Connections = 3_000;
    private const int Sources = 64;
    private const int Concurrency = 100;
    private const long HeapCeilingBytes = 48L << 20;
    private static readonly TimeSpan ClientLimit = TimeSpan.FromSeconds(5);

    private readonly string _dir = Directory.CreateTempSubdirectory("stickpeer-tlsflood-").FullName;
    private readonly TestCertificate _ca = TestCertificates.CreateAuthority();
    private readonly TestCertificate _a;
    private readonly TestCertificate _b;

    public TlsFloodTests()
    {
        _a = TestCertificates.IssueLeaf(_ca, "a");
        _b = TestCertificates.IssueLeaf(_ca, "b");
    }

    private enum Kind
    {
        Silent,
        PartialClientHello,
        NoClientCertificate,
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _ca.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task TlsHandshakeFlood_RealPeerUnaffected_HeapBounded_LogRateLimited()
    {
        var ct = TestContext.Current.CancellationToken;
        var ports = FreePort.GetMany(2);
        using var logs = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        await using var a = MetricsNode.Start("a", Config("a", ports), loggers: loggers);
        await using var b = MetricsNode.Start("b", Config("b", ports));
        await a.WaitUntilAsync(() => a.Node.Sections["mesh"].GetSnapshot().Peers[0].SessionsEstablished == 1 && a.Node.Sections["mesh"].Coordinator.State == global::Stickpeer.Node.Replication.SyncState.Finished, "a and b paired over TLS");
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);

        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var written = 0;
        var writer = Task.Run(
            async () =>
            {
                for (var i = 0; i < 100_000 && !stopWriting.IsCancellationRequested; i++)
                {
                    var key = Encoding.ASCII.GetBytes("live-" + i);
                    b.Node.Host.Invoke(() => b.Tables[0].Increment(key, StickDataType.Gpc0, 0, 1));
                    written = i + 1;
                    await Task.Delay(20, CancellationToken.None);
                }
            },
            CancellationToken.None);

        var held = new List<Socket>();
        var outcomes = new Dictionary<Kind, int>();
        try
        {
            for (var start = 0; start < Connections; start += Concurrency)
            {
                var batch = await Task.WhenAll(Enumerable.Range(start, Math.Min(Concurrency, Connections - start)).Select(i => FloodAsync(i, ports[0], ct)));
                foreach (var (kind, socket) in batch)
                {
                    outcomes[kind] = outcomes.GetValueOrDefault(kind) + 1;
                    if (socket is not null)
                    {
                        held.Add(socket);
                    }
                }
            }

            // Held past the listener's 5 s TLS handshake limit, so those expire while b writes.
            await Task.Delay(TimeSpan.FromSeconds(6), ct);
            var heapDuring = GC.GetTotalMemory(forceFullCollection: true);
            TestContext.Current.TestOutputHelper?.WriteLine($"{held.Count} clients held; heap {heapBefore >> 20} -> {heapDuring >> 20} MiB; {written} writes so far");
            Assert.True(heapDuring - heapBefore < HeapCeilingBytes, $"managed heap grew by {(heapDuring - heapBefore) >> 20} MiB");
        }
        finally
        {
            await stopWriting.CancelAsync();
            await writer;
            held.ForEach(s => s.Dispose());
        }

        // Every write of b arrived at a over the session that was up before the flood.
        var last = Encoding.ASCII.GetBytes("live-" + (written - 1));
        await a.WaitUntilAsync(() => a.Tables[0].Count == written && a.Tables[0].TryGetSnapshot(last, out _), $"a holds all {written} writes of b");
        Assert.Equal(1, a.Node.Host.Invoke(() => a.Node.Sections["mesh"].GetSnapshot().Peers[0].SessionsEstablished));

        // Failed inbound handshakes are logged once per interval with a count, not once per client.
        var tlsLines = logs.Entries.Count(e => e.Id.Id is 4004 or 4016);
        Assert.InRange(tlsLines, 1, 10);
    }

    /// <summary>One hostile client; the socket is returned when the client keeps it open (silent, partial).</summary>
    private async Task<(Kind Kind, Socket? Socket)> FloodAsync(int i, int port, CancellationToken ct)
    {
        var kind = (Kind)(i % 3);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { LingerState = new LingerOption(true, 0) };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ClientLimit);
        try
        {
            // Sources spread over 127.0.2.1..127.0.2.64 (all loopback), as an attacker with many addresses.
            socket.Bind(new IPEndPoint(new IPAddress([127, 0, 2, (byte)(1 + (i % Sources))]), 0));
            await socket.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            switch (kind)
            {
                case Kind.PartialClientHello:
                    // A TLS record header announcing a 512-byte handshake message, then a few bytes of it.
                    await socket.SendAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03 }, timeout.Token);
                    return (kind, socket);
                case Kind.NoClientCertificate:
                    await using (var tls = new SslStream(new NetworkStream(socket, ownsSocket: true)))
                    {
                        try
                        {
                            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "a", RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.Subject.Contains("CN=a", StringComparison.Ordinal) == true }, timeout.Token);
                            await tls.WriteAsync("HAProxyS 2.1\na\nmallory 1 1\n"u8.ToArray(), timeout.Token);
                            await tls.ReadAtLeastAsync(new byte[64], 1, throwOnEndOfStream: false, timeout.Token); // refused: no certificate
                        }
                        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException && !ct.IsCancellationRequested)
                        {
                        }
                    }

                    return (kind, null);
                default:
                    return (kind, socket);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            socket.Dispose();
            return (kind, null);
        }
    }

    private string Config(string self, int[] ports)
    {
        var ca = _ca.WriteCertificatePem(_dir, "ca.pem");
        var leaf = (self == "a" ? _a : _b).WriteCombinedPem(_dir, self + ".pem");
        return $"""
            peers mesh
                bind 127.0.0.1:{ports[self == "a" ? 0 : 1]} ssl crt {leaf} ca-file {ca} verify required
                default-server ssl crt {leaf} ca-file {ca} verify required
                server a {(self == "a" ? string.Empty : $"127.0.0.1:{ports[0]}")}
                server b {(self == "b" ? string.Empty : $"127.0.0.1:{ports[1]}")}
                table t type string len 32 size 200k expire 1h store gpc0
            """;
    }
}
