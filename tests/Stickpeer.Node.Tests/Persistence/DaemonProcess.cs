// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Net.Sockets;

namespace Stickpeer.Node.Tests.Persistence;

/// <summary>
/// The <c>stickpeer</c> executable (built next to the tests) as a child process, so that it can be
/// killed with SIGKILL. Its output is drained and kept (last lines) for failure messages.
/// </summary>
internal sealed class DaemonProcess : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private DaemonProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string Executable => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "stickpeer.exe" : "stickpeer");

    public bool HasExited => _process.HasExited;

    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public static DaemonProcess Start(params string[] args)
    {
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return new DaemonProcess(Process.Start(psi) ?? throw new InvalidOperationException("stickpeer did not start"));
    }

    /// <summary>Waits (bounded) until the admin socket accepts a connection; false if the process exited first.</summary>
    public async Task<bool> WaitForSocketAsync(string path, TimeSpan timeout, CancellationToken ct)
    {
        var until = DateTime.UtcNow + timeout;
        for (var i = 0; i < 3000 && DateTime.UtcNow < until; i++)
        {
            if (_process.HasExited)
            {
                return false;
            }

            if (File.Exists(path))
            {
                try
                {
                    using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await s.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                    return true;
                }
                catch (SocketException)
                {
                    // Not listening yet (or a stale socket file of the killed process).
                }
            }

            await Task.Delay(20, ct);
        }

        return false;
    }

    /// <summary>SIGKILL, then wait for the process to be gone.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 40)
            {
                _output.Dequeue();
            }
        }
    }
}
