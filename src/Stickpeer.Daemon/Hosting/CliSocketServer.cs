// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Stickpeer.Admin;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Transport.Sockets;

namespace Stickpeer.Daemon.Hosting;

/// <summary>Serves the HAProxy-style CLI on one <c>stats socket</c> (UNIX socket or TCP).</summary>
public sealed class CliSocketServer : IAsyncDisposable
{
    private const int MaxLine = 64 * 1024;
    private const int ReadBufferSize = 64 * 1024;

    private readonly StatsSocketDefinition _definition;
    private readonly AdminContext _context;
    private readonly ILogger _logger;
    private readonly CliLevel _level;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private Socket? _listener;
    private DateTime? _boundStamp;
    private Task _acceptLoop = Task.CompletedTask;

    public CliSocketServer(StatsSocketDefinition definition, AdminContext context, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _definition = definition;
        _context = context;
        _logger = logger;
        _level = definition.Level switch
        {
            "admin" => CliLevel.Admin,
            "user" => CliLevel.User,
            _ => CliLevel.Operator,
        };
        Address = definition.ToString();
    }

    /// <summary>The socket path, or the TCP endpoint with its bound port.</summary>
    public string Address { get; private set; }

    public void Start()
    {
        Socket socket;
        if (_definition.Path is { } path)
        {
            socket = BindUnix(path);
        }
        else
        {
            var endpoint = _definition.Endpoint!;
            var ip = endpoint.IsAny ? IPAddress.Any : IPAddress.Parse(endpoint.Host);
            try
            {
                socket = ExclusiveListener.Listen(new IPEndPoint(ip, endpoint.Port), 32);
            }
            catch (SocketException ex)
            {
                throw new IOException($"stats socket ipv4@{endpoint} ({_definition.Location}): cannot listen: {ex.Message}", ex);
            }

            Address = "ipv4@" + socket.LocalEndPoint;
        }

        _listener = socket;
        DaemonLog.CliListening(_logger, Address, _definition.Level);
        _acceptLoop = AcceptLoopAsync(socket);
    }

    private Socket BindUnix(string path)
    {
        var state = UnixSocketProbe.Probe(path);
        if (UnixSocketProbe.Problem(_definition, state) is { } problem)
        {
            throw new IOException(problem);
        }

        // Bound under a temporary name, then renamed over the path (as HAProxy does): a stale socket is
        // replaced atomically, and .NET, which unlinks the name a socket was bound to when it is
        // disposed, only ever unlinks the temporary name. The path itself is removed by DisposeAsync,
        // and only while it is still ours.
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.Delete(temporary);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(temporary));
            socket.Listen(32);
            if (_definition.Mode is { } mode && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, (UnixFileMode)mode);
            }

            File.Move(temporary, path, overwrite: state == UnixSocketState.Stale);
        }
        catch (Exception ex) when (ex is SocketException or IOException or UnauthorizedAccessException)
        {
            socket.Dispose();
            throw new IOException($"stats socket '{path}' ({_definition.Location}): cannot bind: {ex.Message}", ex);
        }

        // Remembered so that the stop removes only this socket, never one another process put at the
        // path since (a new socket file has its own modification time).
        _boundStamp = File.GetLastWriteTimeUtc(path);
        return socket;
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (_stop.IsCancellationRequested)
            {
                // Closed by the stop.
                return;
            }
            catch (SocketException ex)
            {
                DaemonLog.CliConnectionFailed(_logger, ex.Message);
                continue;
            }

            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(Socket client)
    {
        try
        {
            await using var stream = new NetworkStream(client, ownsSocket: true);

            // Reads of up to 64 KiB (the default is 4 KiB): a client pipelining "set table" lines gets
            // hundreds of them run per read, lock round, push flush and answer write.
            var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: ReadBufferSize / 4));
            var lines = new CliLineRunner(new CliSession(_context, _level));

            // Every complete line of one read runs in one node call and their answers go out in one
            // write: a client in prompt mode that pipelines thousands of "set table" lines is not held
            // to a lock round, a push flush and a syscall per line.
            var output = new StringBuilder();
            while (true)
            {
                var result = await reader.ReadAsync(_stop.Token);
                var buffer = result.Buffer;
                var final = result.IsCompleted;
                var close = CliLineRunner.HasLine(buffer, final) && _context.Invoke(() => lines.Run(ref buffer, final, output));
                if (!close && buffer.Length > MaxLine)
                {
                    DaemonLog.CliLineTooLong(_logger, MaxLine);
                    close = true;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (output.Length > 0)
                {
                    await _context.WaitDurableAsync(_stop.Token);
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(output.ToString()), _stop.Token);
                    output.Clear();
                }

                if (close || result.IsCompleted)
                {
                    break;
                }
            }

            await reader.CompleteAsync();
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            DaemonLog.CliConnectionFailed(_logger, ex.Message);
        }
        catch (Exception ex)
        {
            // The CLI must never take the process down.
            DaemonLog.CliCrashed(_logger, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener?.Dispose();
        Task[] pending;
        lock (_connections)
        {
            pending = [.. _connections, _acceptLoop];
        }

        try
        {
            await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            // Best effort.
        }

        if (_definition.Path is { } path && _boundStamp is { } stamp && File.Exists(path))
        {
            if (File.GetLastWriteTimeUtc(path) == stamp)
            {
                File.Delete(path);
            }
            else
            {
                DaemonLog.CliSocketReplaced(_logger, path);
            }
        }

        _stop.Dispose();
    }
}
