// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Stickpeer.TestKit.Net;

/// <summary>
/// A TCP relay on 127.0.0.1 placed between two peers: it accepts on its own port and
/// forwards every connection to <see cref="Target"/>, recording each direction with
/// timestamps (bounded). Connections can be cut, and new ones refused, to simulate
/// network failures.
/// </summary>
public sealed class RecordingRelay : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly TimeProvider _time;
    private readonly long _maxBytesPerDirection;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<RelayConnection> _connections = [];
    private readonly List<Task> _tasks = [];
    private readonly Lock _gate = new();
    private readonly Task _acceptLoop;
    private int _nextId;
    private RelayValve? _clientToServerValve;
    private RelayValve? _serverToClientValve;

    private RecordingRelay(Socket listener, IPEndPoint target, TimeProvider time, long maxBytesPerDirection)
    {
        _listener = listener;
        _time = time;
        _maxBytesPerDirection = maxBytesPerDirection;
        Target = target;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Where connections are forwarded to.</summary>
    public IPEndPoint Target { get; }

    /// <summary>The relay's own port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>When true, new connections are accepted and immediately reset.</summary>
    public bool RefuseNewConnections { get; set; }

    /// <summary>A snapshot of every connection seen so far, oldest first.</summary>
    public IReadOnlyList<RelayConnection> Connections
    {
        get
        {
            lock (_gate)
            {
                return _connections.ToArray();
            }
        }
    }

    /// <summary>Starts a relay forwarding to 127.0.0.1:<paramref name="targetPort"/>.</summary>
    public static RecordingRelay Start(int targetPort, TimeProvider? time = null, long maxBytesPerDirection = 8 * 1024 * 1024) =>
        Start(new IPEndPoint(IPAddress.Loopback, targetPort), time, maxBytesPerDirection);

    /// <summary>Starts a relay forwarding to <paramref name="target"/>.</summary>
    public static RecordingRelay Start(IPEndPoint target, TimeProvider? time = null, long maxBytesPerDirection = 8 * 1024 * 1024)
    {
        ArgumentNullException.ThrowIfNull(target);
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(16);
            return new RecordingRelay(listener, target, time ?? TimeProvider.System, maxBytesPerDirection);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Holds the target's direction (its status line and messages) of the NEXT accepted
    /// connection with <paramref name="valve"/> (a connection already open is not affected).
    /// </summary>
    public void ArmServerToClient(RelayValve valve) => _serverToClientValve = valve ?? throw new ArgumentNullException(nameof(valve));

    /// <summary>Holds the connecting side's direction of the NEXT accepted connection with <paramref name="valve"/>.</summary>
    public void ArmClientToServer(RelayValve valve) => _clientToServerValve = valve ?? throw new ArgumentNullException(nameof(valve));

    /// <summary>Cuts every open connection.</summary>
    public void CutAll()
    {
        foreach (var c in Connections)
        {
            c.Cut();
        }
    }

    /// <summary>Waits (bounded) until a connection matching <paramref name="predicate"/> exists.</summary>
    public async Task<RelayConnection> WaitForConnectionAsync(Func<RelayConnection, bool>? predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            var match = Connections.FirstOrDefault(c => predicate?.Invoke(c) ?? true);
            if (match is not null)
            {
                return match;
            }

            await Task.Delay(20, cancellationToken);
        }

        throw new TimeoutException($"no matching relay connection within {timeout}");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        CutAll();
        Task[] tasks;
        lock (_gate)
        {
            tasks = [.. _tasks, _acceptLoop];
        }

        await Task.WhenAny(Task.WhenAll(tasks), Task.Delay(TimeSpan.FromSeconds(5)));
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
            catch (SocketException)
            {
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            if (RefuseNewConnections)
            {
                client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }

            var connection = new RelayConnection(
                Interlocked.Increment(ref _nextId),
                _time.GetUtcNow(),
                client,
                _maxBytesPerDirection,
                Interlocked.Exchange(ref _clientToServerValve, null),
                Interlocked.Exchange(ref _serverToClientValve, null));
            lock (_gate)
            {
                _connections.Add(connection);
                _tasks.Add(connection.RunAsync(Target, _time, _stop.Token));
            }
        }
    }
}
