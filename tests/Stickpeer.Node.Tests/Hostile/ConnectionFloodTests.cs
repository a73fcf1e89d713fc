// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Stickpeer.TestKit.Mesh;

namespace Stickpeer.Node.Tests.Hostile;

/// <summary>
/// 10 000 hostile connections (silent half-open clients, garbage, slow-loris hellos) against one node
/// of a two-node mesh while its real peer keeps writing: the peer's updates all arrive, its session
/// is never dropped, and the managed heap of this process (both nodes and the clients) stays under a
/// ceiling. A connection before its handshake reads through a 1 KiB buffer and at most 256 wait at
/// once; were they read like established sessions (64 KiB buffers), 10 000 would hold 640 MB.
/// </summary>
public sealed partial class ConnectionFloodTests
{
    private const int Connections = 10_000;
    private const int Sources = 64;
    private const int Concurrency = 200;
    private const long HeapCeilingBytes = 48L << 20; // measured: 13 MiB (10 000 clients held, both nodes)
    private static readonly TimeSpan ConnectLimit = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task TenThousandHostileConnections_RealPeerUnaffected_HeapBounded()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mesh = await LoopbackMesh.StartAsync(2, tableSize: 10_000);
        Assert.True(await mesh.WaitReadyAsync(TimeSpan.FromSeconds(60), cancellationToken: ct), "the two nodes did not pair");
        var (target, peer) = (mesh.Members[0], mesh.Members[1]);
        var port = int.Parse(PeerPort().Match(mesh.ConfigText).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var sessionsBefore = mesh.SessionsEverEstablished();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);

        // The real peer writes all through the flood.
        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var written = 0;
        var writer = Task.Run(
            async () =>
            {
                for (var i = 0; i < 100_000 && !stopWriting.IsCancellationRequested; i++)
                {
                    peer.Write("live-" + i, i);
                    written = i + 1;
                    await Task.Delay(20, CancellationToken.None);
                }
            },
            CancellationToken.None);

        var held = new List<Socket>(Connections);
        var slow = new List<Socket>();
        var refusedOrFailed = 0;
        try
        {
            for (var start = 0; start < Connections; start += Concurrency)
            {
                var batch = await Task.WhenAll(Enumerable.Range(start, Math.Min(Concurrency, Connections - start)).Select(i => OpenHostileAsync(i, port, ct)));
                foreach (var (socket, kind) in batch)
                {
                    if (socket is null)
                    {
                        refusedOrFailed++;
                        continue;
                    }

                    held.Add(socket);
                    if (kind == Kind.SlowLoris)
                    {
                        slow.Add(socket);
                    }
                }

                // Slow-loris clients send one more byte of their hello per batch.
                foreach (var s in slow)
                {
                    TrySend(s, "H"u8.ToArray());
                }
            }

            var heapDuring = GC.GetTotalMemory(forceFullCollection: true);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{held.Count} connected, {refusedOrFailed} failed to connect; heap {heapBefore >> 20} -> {heapDuring >> 20} MiB; {written} writes so far");
            Assert.True(
                heapDuring - heapBefore < HeapCeilingBytes,
                $"managed heap grew by {(heapDuring - heapBefore) >> 20} MiB with {held.Count} hostile connections held ({refusedOrFailed} failed to connect)");
        }
        finally
        {
            await stopWriting.CancelAsync();
            await writer;
            held.ForEach(s => s.Dispose());
        }

        // Every write of the real peer arrived, and its session never dropped.
        var last = written - 1;
        for (var i = 0; i < 600 && target.Read("live-" + last) != last; i++)
        {
            await Task.Delay(50, ct);
        }

        Assert.Equal(last, target.Read("live-" + last));
        Assert.Equal(written, (int)target.Count);
        Assert.Equal(sessionsBefore, mesh.SessionsEverEstablished());
        Assert.Equal(1, mesh.EstablishedSessions());
    }

    private enum Kind
    {
        HalfOpen,
        Garbage,
        SlowLoris,
    }

    private static async Task<(Socket? Socket, Kind Kind)> OpenHostileAsync(int i, int port, CancellationToken ct)
    {
        var kind = (Kind)(i % 3);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { LingerState = new LingerOption(true, 0) };
        try
        {
            // Sources spread over 127.0.1.1..127.0.1.64 (all loopback), as an attacker with many addresses.
            socket.Bind(new IPEndPoint(new IPAddress([127, 0, 1, (byte)(1 + (i % Sources))]), 0));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(ConnectLimit);
            await socket.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            switch (kind)
            {
                case Kind.Garbage:
                    TrySend(socket, Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n" + new string('z', 64 + (i % 900))));
                    break;
                case Kind.SlowLoris:
                    TrySend(socket, "HAPr"u8.ToArray());
                    break;
            }

            return (socket, kind);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            socket.Dispose();
            return (null, kind);
        }
    }

    private static void TrySend(Socket socket, byte[] bytes)
    {
        try
        {
            socket.Send(bytes, SocketFlags.None, out _);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    [GeneratedRegex(@"peer n0 127\.0\.0\.1:(\d+)")]
    private static partial Regex PeerPort();
}
