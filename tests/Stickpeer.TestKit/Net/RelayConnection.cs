// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net.Sockets;

namespace Stickpeer.TestKit.Net;

/// <summary>One connection through a <see cref="RecordingRelay"/>, with both directions recorded.</summary>
public sealed class RelayConnection
{
    private readonly Socket _client;
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Socket? _server;
    private int _cut;

    internal RelayConnection(int id, DateTimeOffset acceptedAt, Socket client, long maxBytes, RelayValve? clientToServerValve = null, RelayValve? serverToClientValve = null)
    {
        ClientToServerValve = clientToServerValve;
        ServerToClientValve = serverToClientValve;
        Id = id;
        AcceptedAt = acceptedAt;
        _client = client;
        ClientToServer = new RecordedStream("client->server", maxBytes);
        ServerToClient = new RecordedStream("server->client", maxBytes);
    }

    /// <summary>Sequence number of the connection within its relay (from 1).</summary>
    public int Id { get; }

    /// <summary>When the relay accepted it.</summary>
    public DateTimeOffset AcceptedAt { get; }

    /// <summary>Bytes from the connecting side (the connector's hello and its messages).</summary>
    public RecordedStream ClientToServer { get; }

    /// <summary>Bytes from the target (the acceptor's status line and its messages).</summary>
    public RecordedStream ServerToClient { get; }

    /// <summary>The valve holding the client→server direction, if one was armed for this connection.</summary>
    public RelayValve? ClientToServerValve { get; }

    /// <summary>The valve holding the server→client direction, if one was armed for this connection.</summary>
    public RelayValve? ServerToClientValve { get; }

    /// <summary>True once both directions ended.</summary>
    public bool IsClosed => _completed.Task.IsCompleted;

    /// <summary>True when the connection was cut by the relay.</summary>
    public bool WasCut => Volatile.Read(ref _cut) != 0;

    /// <summary>Completes when both directions ended.</summary>
    public Task Completion => _completed.Task;

    /// <summary>Aborts both sides at once (RST), as a network failure would.</summary>
    public void Cut()
    {
        if (Interlocked.Exchange(ref _cut, 1) != 0)
        {
            return;
        }

        Abort(_client);
        if (_server is { } server)
        {
            Abort(server);
        }
    }

    internal async Task RunAsync(System.Net.EndPoint target, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
            _server = server;
            if (WasCut)
            {
                Abort(server);
                return;
            }

            await server.ConnectAsync(target, cancellationToken);
            var up = PumpAsync(_client, server, ClientToServer, ClientToServerValve, time, cancellationToken);
            var down = PumpAsync(server, _client, ServerToClient, ServerToClientValve, time, cancellationToken);
            await Task.WhenAll(up, down);
        }
        catch (SocketException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _client.Dispose();
            _server?.Dispose();
            _completed.TrySetResult();
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, RecordedStream record, RelayValve? valve, TimeProvider time, CancellationToken cancellationToken)
    {
        var buffer = new byte[16384];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (n == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                if (valve is null)
                {
                    record.Add(time.GetUtcNow(), buffer.AsSpan(0, n));
                    await SendAllAsync(to, buffer.AsMemory(0, n), cancellationToken);
                    continue;
                }

                // Forward what the valve allows, recording each piece when it is forwarded.
                valve.Inspect(buffer.AsSpan(0, n));
                var at = 0;
                while (at < n)
                {
                    var allowed = await valve.AllowAsync(n - at, cancellationToken);
                    record.Add(time.GetUtcNow(), buffer.AsSpan(at, allowed));
                    await SendAllAsync(to, buffer.AsMemory(at, allowed), cancellationToken);
                    valve.Forward(allowed);
                    at += allowed;
                }
            }
        }
        catch (SocketException)
        {
            Abort(from);
            Abort(to);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static async Task SendAllAsync(Socket to, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var sent = 0;
        while (sent < data.Length)
        {
            sent += await to.SendAsync(data[sent..], SocketFlags.None, cancellationToken);
        }
    }

    private static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
