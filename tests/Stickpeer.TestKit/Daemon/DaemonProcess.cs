// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Runtime.InteropServices;
using Stickpeer.TestKit.Haproxy;
using Stickpeer.TestKit.Net;

namespace Stickpeer.TestKit.Daemon;

/// <summary>
/// The <c>stickpeer</c> executable run as a real child process (what a reload needs: two processes and
/// signals between them). The test project must reference Stickpeer.Daemon, so <c>stickpeer.dll</c> sits
/// next to the tests. Disposing sends SIGTERM, then SIGKILL after a bounded wait.
/// </summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly BoundedLog _log = new(2000);

    private DaemonProcess(Process process) => _process = process;

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process wrote (stdout and stderr, last 2000 lines).</summary>
    public string Output => _log.ToString();

    /// <summary>Starts <c>stickpeer</c> with <paramref name="args"/> (no readiness wait: see <see cref="WaitForCliAsync"/>).</summary>
    public static DaemonProcess Start(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "stickpeer.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} not found: the test project must reference Stickpeer.Daemon");
        }

        return StartProgram(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet", [dll, .. args]);
    }

    /// <summary>Starts a published <c>stickpeer</c> executable (a Native AOT build) with <paramref name="args"/>.</summary>
    public static DaemonProcess StartExecutable(string path, params string[] args) => StartProgram(path, args);

    private static DaemonProcess StartProgram(string program, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var daemon = new DaemonProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) daemon._log.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) daemon._log.Add(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>Waits until the stats socket at <paramref name="socketPath"/> answers <c>show table</c> (bounded), or fails with the output.</summary>
    public async Task WaitForCliAsync(string socketPath, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"stickpeer exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                var answer = await UnixCli.SendAsync(socketPath, "show table", cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                if (answer.StartsWith("# table:", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or TimeoutException)
            {
                // Not listening yet (or the socket still belongs to a process that is leaving).
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"stickpeer's stats socket {socketPath} did not answer within {timeout}:\n{Output}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Sends SIGTERM (the graceful stop; see <see cref="WaitForExitAsync"/>).</summary>
    public void Terminate() => _ = Kill(_process.Id, SigTerm);

    /// <summary>Waits for the process to exit (bounded); returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"stickpeer (pid {ProcessId}) still runs after {timeout}:\n{Output}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _ = Kill(_process.Id, SigTerm);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _process.WaitForExitAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(true);
                    await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        finally
        {
            _process.Dispose();
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
