// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net.Sockets;
using System.Text;
using Stickpeer.Daemon.Cli;

namespace Stickpeer.Interop.Tests.Lessons;

/// <summary>An in-process Stickpeer daemon (the real command line, sockets and CLI) with its own config and admin socket.</summary>
internal sealed class StickpeerDaemon : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stop;
    private readonly Task<int> _run;

    private StickpeerDaemon(string name, string socket, CancellationTokenSource stop, Task<int> run)
    {
        Name = name;
        SocketPath = socket;
        _stop = stop;
        _run = run;
    }

    /// <summary>What the daemon listens on once started (<c>peers:SECTION</c>, <c>cli:PATH</c>, <c>http</c>).</summary>
    public IReadOnlyDictionary<string, string> Endpoints { get; private set; } = new Dictionary<string, string>();

    public string Name { get; }

    public string SocketPath { get; }

    /// <summary>Writes <c>global</c> (admin socket) + <paramref name="body"/> to a config file in <paramref name="dir"/> and runs the daemon on it.</summary>
    /// <remarks><paramref name="extraArgs"/> are more command-line options (e.g. <c>--http 127.0.0.1:0</c>).</remarks>
    public static async Task<StickpeerDaemon> StartAsync(string name, string body, string dir, CancellationToken cancellationToken, params string[] extraArgs)
    {
        var socket = Path.Combine(dir, name + ".sock");
        var config = Path.Combine(dir, name + ".cfg");
        await File.WriteAllTextAsync(config, $"global\n    stats socket {socket} level admin\n\n{body}", cancellationToken);
        var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource<IReadOnlyDictionary<string, string>>();
        var run = StickpeerCommand.RunAsync(["-f", config, "-L", name, "-q", .. extraArgs], TextReader.Null, TextWriter.Null, TextWriter.Null, e => started.TrySetResult(e), stop.Token);
        var daemon = new StickpeerDaemon(name, socket, stop, run);
        await Task.WhenAny(started.Task, run).WaitAsync(s_startTimeout, cancellationToken);
        if (run.IsCompleted)
        {
            await daemon.DisposeAsync();
            Assert.Fail($"stickpeer {name} exited with {await run}");
        }

        daemon.Endpoints = await started.Task;
        return daemon;
    }

    /// <summary>Sends one request line (or several, each ending in a newline) and reads the answer to EOF.</summary>
    public async Task<string> CliAsync(string request, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request.EndsWith('\n') ? request : request + "\n"), cancellationToken);
        var output = new StringBuilder();
        var buffer = new byte[65536];
        for (var i = 0; i < 100_000; i++)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            if (n == 0)
            {
                break;
            }

            output.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return output.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException)
        {
            // The test reports what matters; a slow stop must not hide its result.
        }
        finally
        {
            _stop.Dispose();
        }
    }
}
