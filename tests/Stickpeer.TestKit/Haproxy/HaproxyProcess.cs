// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Stickpeer.TestKit.Haproxy;

/// <summary>
/// One real <c>haproxy</c> process in foreground mode (<c>-db</c>) with its own temp
/// directory, configuration and admin stats socket. <see cref="DisposeAsync"/> kills it and
/// deletes the directory; processes still alive when the test host exits are killed too.
/// </summary>
public sealed class HaproxyProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> s_live = new();
    private readonly Process _process;
    private readonly BoundedLog _log;
    private int _disposed;

    static HaproxyProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var p in s_live.Values)
            {
                try
                {
                    p.Kill(true);
                }
                catch (InvalidOperationException)
                {
                }
            }
        };
    }

    private HaproxyProcess(Process process, BoundedLog log, string workDirectory, string configPath, string statsSocketPath, string localPeerName)
    {
        _process = process;
        _log = log;
        WorkDirectory = workDirectory;
        ConfigPath = configPath;
        StatsSocketPath = statsSocketPath;
        LocalPeerName = localPeerName;
        Stats = new StatsSocketClient(statsSocketPath);
    }

    /// <summary>The process's private temp directory (deleted on dispose).</summary>
    public string WorkDirectory { get; }

    /// <summary>The configuration file written for this process.</summary>
    public string ConfigPath { get; }

    /// <summary>Absolute path of the admin stats socket.</summary>
    public string StatsSocketPath { get; }

    /// <summary>The local peer name given with <c>-L</c>.</summary>
    public string LocalPeerName { get; }

    /// <summary>A client for the admin stats socket.</summary>
    public StatsSocketClient Stats { get; }

    /// <summary>The OS process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process printed (stdout and stderr).</summary>
    public string Output => _log.ToString();

    /// <summary>The full configuration text (for failure messages and provenance).</summary>
    public string ConfigText => File.ReadAllText(ConfigPath);

    /// <summary>Writes the configuration, starts haproxy and waits until the stats socket answers.</summary>
    public static async Task<HaproxyProcess> StartAsync(HaproxyOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var exe = HaproxyAvailability.ExecutablePath
            ?? throw new InvalidOperationException(HaproxyAvailability.SkipReason);
        var dir = Directory.CreateTempSubdirectory("stickpeer-hap-").FullName;
        try
        {
            foreach (var (name, content) in options.Files)
            {
                await File.WriteAllTextAsync(Path.Combine(dir, name), content, cancellationToken);
            }

            var socket = Path.Combine(dir, "admin.sock");
            var config = BuildConfig(options, dir, socket);
            var configPath = Path.Combine(dir, "haproxy.cfg");
            await File.WriteAllTextAsync(configPath, config, cancellationToken);

            var psi = new ProcessStartInfo(exe)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = dir,
            };
            psi.ArgumentList.Add("-db");
            psi.ArgumentList.Add("-f");
            psi.ArgumentList.Add(configPath);
            psi.ArgumentList.Add("-L");
            psi.ArgumentList.Add(options.LocalPeerName);

            var log = new BoundedLog();
            var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Add(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Add(e.Data); };
            process.Start();
            s_live[process.Id] = process;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var hap = new HaproxyProcess(process, log, dir, configPath, socket, options.LocalPeerName);
            try
            {
                await hap.WaitReadyAsync(options.StartTimeout, cancellationToken);
            }
            catch
            {
                await hap.DisposeAsync();
                throw;
            }

            return hap;
        }
        catch
        {
            TryDelete(dir);
            throw;
        }
    }

    /// <summary>Sends SIGKILL (if still running) and waits for the exit.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(true);
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (InvalidOperationException)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await KillAsync();
        s_live.TryRemove(_process.Id, out _);
        _process.Dispose();
        TryDelete(WorkDirectory);
    }

    private static string BuildConfig(HaproxyOptions options, string dir, string socket)
    {
        var sb = new StringBuilder();
        sb.Append("global\n");
        sb.Append("    stats socket ").Append(socket).Append(" level admin\n");
        sb.Append("    stats timeout 1m\n");
        foreach (var line in options.GlobalLines)
        {
            sb.Append("    ").Append(line.Trim()).Append('\n');
        }

        sb.Append('\n');
        sb.Append(options.Config(dir));
        sb.Append('\n');
        return sb.ToString();
    }

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        Exception? last = null;
        while (deadline.Elapsed < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"haproxy exited with code {_process.ExitCode} during start-up.\nconfig:\n{ConfigText}\noutput:\n{Output}");
            }

            if (File.Exists(StatsSocketPath))
            {
                try
                {
                    var info = await Stats.SendAsync("show info", cancellationToken);
                    if (info.Contains("Pid:", StringComparison.Ordinal))
                    {
                        return;
                    }
                }
                catch (IOException ex)
                {
                    last = ex;
                }
                catch (System.Net.Sockets.SocketException ex)
                {
                    last = ex;
                }
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException($"haproxy stats socket did not answer within {timeout} ({last?.Message}).\noutput:\n{Output}");
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
