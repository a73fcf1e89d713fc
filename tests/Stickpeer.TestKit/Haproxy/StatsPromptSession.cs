// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net.Sockets;
using System.Text;

namespace Stickpeer.TestKit.Haproxy;

/// <summary>
/// An interactive stats-socket session (<c>prompt</c> mode): every answer ends with
/// <c>"\n> "</c>, so many commands can run over one connection.
/// </summary>
public sealed class StatsPromptSession : IAsyncDisposable
{
    private const string Prompt = "\n> ";
    private readonly Socket _socket;
    private readonly TimeSpan _timeout;
    private readonly byte[] _buffer = new byte[16384];
    private readonly StringBuilder _pending = new();

    internal StatsPromptSession(Socket socket, TimeSpan timeout)
    {
        _socket = socket;
        _timeout = timeout;
    }

    /// <summary>Runs one command and returns its answer (without the trailing blank line and prompt).</summary>
    public async Task<string> ExecuteAsync(string command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_timeout);
        await _socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), SocketFlags.None, cts.Token);
        return await ReadAnswerAsync(cts.Token);
    }

    /// <summary>
    /// Runs many commands over this connection (writes pipelined while answers are read)
    /// and returns the answers in order.
    /// </summary>
    public async Task<IReadOnlyList<string>> ExecuteManyAsync(IReadOnlyList<string> commands, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_timeout + TimeSpan.FromMilliseconds(10 * commands.Count));
        var writer = Task.Run(
            async () =>
            {
                foreach (var chunk in commands.Chunk(64))
                {
                    var text = string.Concat(chunk.Select(c => c + "\n"));
                    await _socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None, cts.Token);
                }
            },
            cts.Token);
        var answers = new List<string>(commands.Count);
        for (var i = 0; i < commands.Count; i++)
        {
            answers.Add(await ReadAnswerAsync(cts.Token));
        }

        await writer;
        return answers;
    }

    /// <summary>Runs many <c>set table</c> commands and throws on the first error answer.</summary>
    public async Task SetTableManyAsync(string table, IEnumerable<(string Key, IReadOnlyList<(string Name, string Value)> Data)> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = entries.ToList();
        var answers = await ExecuteManyAsync(list.Select(e => StatsCommands.SetTable(table, e.Key, e.Data)).ToList(), cancellationToken);
        for (var i = 0; i < answers.Count; i++)
        {
            StatsCommands.ThrowOnError(answers[i], table, list[i].Key);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await _socket.SendAsync("quit\n"u8.ToArray(), SocketFlags.None, cts.Token);
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

        _socket.Dispose();
    }

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_timeout);
        await _socket.SendAsync("prompt\n"u8.ToArray(), SocketFlags.None, cts.Token);
        await ReadAnswerAsync(cts.Token);
    }

    private async Task<string> ReadAnswerAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf(Prompt, StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + Prompt.Length);
                return text[..end].TrimEnd('\n');
            }

            var n = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                throw new IOException("stats socket closed the prompt session: " + text);
            }

            _pending.Append(Encoding.UTF8.GetString(_buffer, 0, n));
        }
    }
}
