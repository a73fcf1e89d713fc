// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stickpeer.TestKit.Net;

/// <summary>
/// A raw-socket peer on 127.0.0.1 that completes the handshake (answers <c>200</c> to any hello), then
/// only sends heartbeats: it never acknowledges an update, never teaches a lesson and never ends one. A
/// node that asks it for a resync stays unfinished for as long as it is up (and, like HAProxy, pushes
/// nothing to it meanwhile), unless <c>answerResync</c>: then a resync request that is the first message
/// of a session gets an empty lesson (<c>00 01</c>). Counts what it received.
/// </summary>
public sealed class SilentPeer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private readonly List<Task> _sessions = [];
    private long _bytes;
    private int _hellos;

    private readonly bool _answerResync;

    public SilentPeer(bool answerResync = false)
    {
        _answerResync = answerResync;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accept = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Bytes received after the handshakes (updates, requests, heartbeats).</summary>
    public long BytesReceived => Interlocked.Read(ref _bytes);

    /// <summary>Hellos answered.</summary>
    public int Hellos => Volatile.Read(ref _hellos);

    private async Task AcceptLoopAsync()
    {
        for (var i = 0; i < 10_000; i++)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_sessions)
            {
                _sessions.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var buffer = new byte[16384];
        var lines = 0;
        try
        {
            // Hello: three lines.
            while (lines < 3)
            {
                var n = await stream.ReadAsync(buffer, _stop.Token);
                if (n == 0)
                {
                    return;
                }

                lines += buffer.AsSpan(0, n).Count((byte)'\n');
            }

            Interlocked.Increment(ref _hellos);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("200\n"), _stop.Token);
            lock (_sessions)
            {
                _sessions.Add(HeartbeatAsync(stream));
            }

            var first = true;
            for (var reads = 0; reads < 10_000_000; reads++)
            {
                var n = await stream.ReadAsync(buffer, _stop.Token);
                if (n == 0)
                {
                    return;
                }

                if (first && _answerResync && n >= 2 && buffer[0] == 0x00 && buffer[1] == 0x00)
                {
                    await stream.WriteAsync(new byte[] { 0x00, 0x01 }, _stop.Token);
                }

                first = false;
                Interlocked.Add(ref _bytes, n);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Closed by either side.
        }
    }

    private async Task HeartbeatAsync(NetworkStream stream)
    {
        try
        {
            // 00 04 every second (a node closes a session silent for 5 s); bounded to one hour.
            for (var i = 0; i < 3600; i++)
            {
                await stream.WriteAsync(new byte[] { 0x00, 0x04 }, _stop.Token);
                await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The session ended.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions, _accept];
        }

        try
        {
            await Task.WhenAll(sessions).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // Best effort.
        }

        _stop.Dispose();
    }
}
