// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;

namespace Stickpeer.Interop.Tests.Scenario;

/// <summary>A loopback TCP server that echoes what it receives (the backend servers of the test).</summary>
internal sealed class EchoServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public EchoServer()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(32);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _loop = AcceptLoopAsync();
    }

    public int Port { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await Task.WhenAny(_loop, Task.Delay(2000));
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            _ = EchoAsync(client);
        }
    }

    private async Task EchoAsync(Socket client)
    {
        using (client)
        {
            var buffer = new byte[4096];
            try
            {
                while (true)
                {
                    var n = await client.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                    if (n == 0)
                    {
                        return;
                    }

                    await client.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
                }
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }
}
