// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net.Sockets;
using System.Text;

namespace Stickpeer.TestKit.Haproxy;

/// <summary>
/// A client for HAProxy's admin stats socket (a unix socket): one-shot commands (one
/// connection per command, read to EOF) and an interactive <c>prompt</c> session for bulk
/// commands over one connection.
/// </summary>
public sealed class StatsSocketClient
{
    private readonly TimeSpan _timeout;

    /// <summary>Creates a client for the socket at <paramref name="socketPath"/>.</summary>
    public StatsSocketClient(string socketPath, TimeSpan? timeout = null)
    {
        SocketPath = socketPath;
        _timeout = timeout ?? TimeSpan.FromSeconds(10);
    }

    /// <summary>The unix socket path.</summary>
    public string SocketPath { get; }

    /// <summary>Sends one command on a fresh connection and returns everything HAProxy prints.</summary>
    public async Task<string> SendAsync(string command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_timeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cts.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), SocketFlags.None, cts.Token);
        var output = new MemoryStream();
        var buffer = new byte[16384];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            if (n == 0)
            {
                break;
            }

            await output.WriteAsync(buffer.AsMemory(0, n), cts.Token);
            if (output.Length > 64 * 1024 * 1024)
            {
                throw new InvalidOperationException("stats socket answer larger than 64 MiB");
            }
        }

        return Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length);
    }

    /// <summary>Opens an interactive <c>prompt</c> session (one connection, many commands).</summary>
    public async Task<StatsPromptSession> OpenPromptAsync(CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(_timeout);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cts.Token);
            var session = new StatsPromptSession(socket, _timeout);
            await session.StartAsync(cancellationToken);
            return session;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Runs <c>show table &lt;name&gt;</c> and parses the dump.</summary>
    public async Task<TableDump> ShowTableAsync(string table, CancellationToken cancellationToken = default)
    {
        var text = await SendAsync("show table " + table, cancellationToken);
        return TableDump.Parse(text).Single();
    }

    /// <summary>Runs <c>show table</c> without a name: one header per table (no entries).</summary>
    public async Task<IReadOnlyList<TableDump>> ShowTablesAsync(CancellationToken cancellationToken = default) =>
        TableDump.Parse(await SendAsync("show table", cancellationToken));

    /// <summary>Runs one <c>set table</c> command; throws when HAProxy prints an error.</summary>
    public async Task SetTableAsync(string table, string key, IEnumerable<(string Name, string Value)> data, CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync(StatsCommands.SetTable(table, key, data), cancellationToken);
        StatsCommands.ThrowOnError(answer, table, key);
    }
}
