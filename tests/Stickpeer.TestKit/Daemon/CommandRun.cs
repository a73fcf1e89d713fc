// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.TestKit.Daemon;

/// <summary>
/// One in-process run of the <c>stickpeer</c> command (the real command line, sockets and exit code),
/// with its output captured. Disposing stops it (as SIGTERM would) and waits a bounded time.
/// </summary>
public sealed class CommandRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<IReadOnlyDictionary<string, string>> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();
    private readonly Task<int> _exit;

    private CommandRun(CommandEntry entry, IReadOnlyList<string> args)
    {
        var stdout = TextWriter.Synchronized(_stdout);
        var stderr = TextWriter.Synchronized(_stderr);
        _exit = Task.Run(() => entry(args, TextReader.Null, stdout, stderr, e => _started.TrySetResult(e), _stop.Token));
    }

    /// <summary>The exit code, once the command has returned.</summary>
    public Task<int> Exit => _exit;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static CommandRun Start(CommandEntry entry, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new CommandRun(entry, args);
    }

    /// <summary>Waits until the node reports it started (its endpoints) or the command exits (null).</summary>
    public async Task<IReadOnlyDictionary<string, string>?> StartedOrExitedAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var first = await Task.WhenAny(_started.Task, _exit).WaitAsync(timeout, cancellationToken);
        return first == _started.Task ? await _started.Task : null;
    }

    /// <summary>Stops the node (as SIGTERM does) and returns its exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        await _stop.CancelAsync();
        return await _exit.WaitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _exit.WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException)
        {
            // The test has already reported what matters.
        }

        _stop.Dispose();
        _stdout.Dispose();
        _stderr.Dispose();
    }
}
