// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stickpeer.Node.Tests.Hostile;

/// <summary>Peer "b" of a node "a" as a bare socket: says hello, and reads what "a" sends.</summary>
internal sealed class RawPeer : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<byte> _received = [];

    private RawPeer(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    /// <summary>What a sent since the 200 (and not removed by a read that returned it).</summary>
    public List<byte> Received => _received;

    /// <summary>Connects, sends b's hello and checks the 200; <paramref name="receiveBuffer"/> sets the socket's receive buffer before the connection.</summary>
    public static async Task<RawPeer> ConnectAsync(int port, CancellationToken ct, int? receiveBuffer = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBuffer is { } size)
        {
            socket.ReceiveBufferSize = size;
        }

        await socket.ConnectAsync(IPAddress.Loopback, port, ct);
        await socket.SendAsync(Encoding.ASCII.GetBytes("HAProxyS 2.1\na\nb 1 1\n"), ct);
        var peer = new RawPeer(socket);
        await peer.ReadUntilAsync(r => r.Count >= 4, ct);
        Assert.Equal("200\n", Encoding.ASCII.GetString([.. peer._received.Take(4)]));
        peer._received.RemoveRange(0, 4);
        return peer;
    }

    /// <summary>
    /// Waits for a's resync request (00 00, sent when the session is up) and answers it with an empty
    /// finished lesson (00 01), so that a pushes to us from then on and counts our updates.
    /// </summary>
    public async Task EndLessonAsync(CancellationToken ct)
    {
        await ReadUntilAsync(r => ContainsPair(r, 0x00, 0x00), ct);
        await Socket.SendAsync(new byte[] { 0x00, 0x01 }, ct);
        await ReadUntilAsync(r => ContainsPair(r, 0x00, 0x03), ct); // a confirmed: the lesson is over
    }

    /// <summary>Everything received until a closes the connection (bounded: 30 s).</summary>
    public async Task<List<byte>> ReadToEndAsync(CancellationToken ct)
    {
        var buffer = new byte[4096];
        for (var i = 0; i < 10_000; i++)
        {
            var n = await Socket.ReceiveAsync(buffer, ct).AsTask().WaitAsync(Patience, ct);
            if (n == 0)
            {
                return _received;
            }

            _received.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        throw new InvalidOperationException("the node kept sending");
    }

    public void Dispose() => Socket.Dispose();

    /// <summary>Reads until <paramref name="done"/> holds for what was received (bounded: 1 000 reads, 30 s each).</summary>
    public Task WaitForAsync(Func<List<byte>, bool> done, CancellationToken ct) => ReadUntilAsync(done, ct);

    /// <summary>True when <paramref name="bytes"/> contains <paramref name="pattern"/>.</summary>
    public static bool Contains(List<byte> bytes, ReadOnlySpan<byte> pattern) =>
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes).IndexOf(pattern) >= 0;

    private static bool ContainsPair(List<byte> bytes, byte first, byte second)
    {
        for (var i = 0; i + 1 < bytes.Count; i++)
        {
            if (bytes[i] == first && bytes[i + 1] == second)
            {
                return true;
            }
        }

        return false;
    }

    private async Task ReadUntilAsync(Func<List<byte>, bool> done, CancellationToken ct)
    {
        var buffer = new byte[4096];
        for (var i = 0; i < 1000 && !done(_received); i++)
        {
            var n = await Socket.ReceiveAsync(buffer, ct).AsTask().WaitAsync(Patience, ct);
            if (n == 0)
            {
                throw new InvalidOperationException("closed by the node; received " + Convert.ToHexString([.. _received]));
            }

            _received.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        Assert.True(done(_received), "received " + Convert.ToHexString([.. _received]));
    }
}
