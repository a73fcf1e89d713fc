// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Stickpeer.Admin;
using Stickpeer.Admin.Http;
using Stickpeer.Daemon.Cli;
using Stickpeer.Node.Composition;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Diagnostics;
using Stickpeer.Node.Persistence;

namespace Stickpeer.Daemon.Hosting;

/// <summary>Runs a node until stopped: configuration, tables, peers, CLI sockets, signals.</summary>
public static class DaemonRunner
{
    public static string Version { get; } =
        typeof(DaemonRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Reads and validates the configuration files (directories: their *.cfg files in name order).</summary>
    public static StickpeerConfiguration LoadConfiguration(IReadOnlyList<string> paths, string? localPeer)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var parser = new ConfigParser();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.GetFiles(path, "*.cfg").Order(StringComparer.Ordinal))
                {
                    parser.ParseFile(file);
                }
            }
            else
            {
                parser.ParseFile(path);
            }
        }

        var configuration = parser.Build(localPeer, Environment.MachineName);
        if (configuration.PeersSections.Count == 0)
        {
            throw new ConfigurationException($"{string.Join(", ", paths)}: no enabled 'peers' section: nothing to run");
        }

        return configuration;
    }

    /// <summary>
    /// Runs until <paramref name="stop"/> fires or SIGTERM/SIGINT arrives, or SIGUSR1 asks for a reload
    /// hand-over (then the tables go to the new process first); returns the exit code. With
    /// <paramref name="replacing"/> (<c>-sf</c>) this is the new process of a reload: it signals those
    /// processes, binds once they let go, and learns their tables before any remote peer's.
    /// </summary>
    public static async Task<int> RunAsync(StickpeerConfiguration configuration, ILoggerFactory loggers, TextWriter stderr, Action<IReadOnlyDictionary<string, string>>? started, CancellationToken stop, HttpApiOptions? http = null, PersistenceOptions? persistence = null, IReadOnlyList<int>? replacing = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(stderr);
        var logger = loggers.CreateLogger("Stickpeer.Daemon");
        foreach (var warning in configuration.Warnings)
        {
            DaemonLog.ConfigWarning(logger, warning);
        }

        if (!CliDialectSetting.TryFromEnvironment(out var cliDialect, out var formatError))
        {
            await stderr.WriteLineAsync("stickpeer: " + formatError);
            return ExitCodes.ConfigurationError;
        }

        if (SystemCaStore.Detached)
        {
            DaemonLog.SystemCaStoreDetached(logger, SystemCaStore.FileVariable, SystemCaStore.DirectoryVariable);
        }

        // Everything that can fail is checked before a socket is opened: a node must not contact its
        // peers (and start a resync) only to stop a moment later on its stats socket.
        var checks = StartupChecks.Run(configuration, probeAddresses: false, replacing: replacing is { Count: > 0 });
        foreach (var note in checks.Notes)
        {
            DaemonLog.StartupNote(logger, note);
        }

        if (checks.Errors.Count > 0)
        {
            foreach (var error in checks.Errors)
            {
                await stderr.WriteLineAsync("stickpeer: start-up failed: " + error);
            }

            return ExitCodes.StartupError;
        }

        Node.Transport.StickpeerNode node;
        Stickpeer.Admin.Tables.TableRegistry tables;
        NodePersistence? store;
        try
        {
            var built = NodeBuilder.Build(configuration, TimeProvider.System, loggers, persistence: persistence);
            (node, tables, store) = (built.Node, Stickpeer.Admin.Tables.TableRegistry.Of(built.Tables), built.Persistence);
        }
        catch (ConfigurationException ex)
        {
            await stderr.WriteLineAsync("stickpeer: " + ex.Message);
            return ExitCodes.ConfigurationError;
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            await stderr.WriteLineAsync("stickpeer: start-up failed: cannot load a TLS certificate: " + ex.Message);
            return ExitCodes.StartupError;
        }
        catch (PersistenceException ex)
        {
            await stderr.WriteLineAsync("stickpeer: start-up failed: " + ex.Message);
            return ExitCodes.DataDirectoryError;
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => OnSignal(ctx, "SIGTERM"));
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => OnSignal(ctx, "SIGINT"));
        using var softStop = new CancellationTokenSource();
        var systemd = SystemdNotify.FromEnvironment();
        using var sigusr1 = OperatingSystem.IsLinux() ? PosixSignalRegistration.Create((PosixSignal)Reload.SoftStopSignal, OnSoftStop) : null;
        var context = new AdminContext(node, tables, TimeProvider.System, $"stickpeer {Version}") { CliDialect = cliDialect };
        var cliServers = new List<CliSocketServer>();
        HttpApiServer? httpServer = null;
        using var metrics = http is null ? null : new NodeMetrics(node, persistence: store);
        try
        {
            try
            {
                if (replacing is { Count: > 0 })
                {
                    // Under systemd (NotifyAccess=all), this process becomes the service's main one before the old exits.
                    systemd.Send($"MAINPID={Environment.ProcessId}");
                    // Reload: everything is checked; now the old process lets go of its addresses.
                    Reload.SignalOldProcesses(replacing, logger);
                    if (!await Reload.WaitForReleaseAsync(configuration, TimeProvider.System, stopping.Token))
                    {
                        DaemonLog.ReleaseTimedOut(logger, Reload.ReleaseTimeout.TotalSeconds);
                    }

                    foreach (var section in node.Sections.Values)
                    {
                        section.ExpectLocalTeacher();
                    }
                }

                // Local sockets first: the peers listeners are bound next, and only then does the
                // node connect out.
                foreach (var socket in configuration.StatsSockets)
                {
                    var server = new CliSocketServer(socket, context, logger);
                    cliServers.Add(server);
                    server.Start();
                }

                if (http is not null)
                {
                    httpServer = await HttpApiServer.StartAsync(http, context, loggers, stopping.Token);
                }

                node.Start();
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                await stderr.WriteLineAsync("stickpeer: start-up failed: " + ex.Message);
                return ExitCodes.StartupError;
            }

            DaemonLog.Started(logger, Version, configuration.LocalPeerName, node.Sections.Count, tables.Tables.Count);
            var endpoints = node.Host.ListenEndpoints.ToDictionary(kv => "peers:" + kv.Key, kv => kv.Value.ToString());
            foreach (var cli in cliServers)
            {
                endpoints["cli:" + cli.Address] = cli.Address;
            }

            if (httpServer is not null)
            {
                endpoints["http"] = httpServer.Endpoint.ToString();
                DaemonLog.HttpListening(logger, httpServer.Endpoint.ToString(), http!.Token is not null);
            }

            started?.Invoke(endpoints);
            systemd.Send($"READY=1\nMAINPID={Environment.ProcessId}\nSTATUS=replicating {configuration.Tables.Count()} table(s)");
            await WaitForStopAsync(stopping.Token);
            systemd.Send(softStop.IsCancellationRequested ? "STATUS=handing over to the new process" : "STOPPING=1");
            if (softStop.IsCancellationRequested)
            {
                await Reload.HandOverAsync(node, cliServers, logger, TimeProvider.System, stop);
            }

            await node.StopAsync(TimeSpan.FromSeconds(5));
            DaemonLog.Stopped(logger);
            return ExitCodes.Success;
        }
        finally
        {
            if (httpServer is not null)
            {
                await httpServer.DisposeAsync();
            }

            foreach (var cli in cliServers)
            {
                await cli.DisposeAsync();
            }

            await node.DisposeAsync();
        }

        void OnSignal(PosixSignalContext ctx, string name)
        {
            ctx.Cancel = true;
            DaemonLog.SignalReceived(logger, name);
            stopping.Cancel();
        }

        void OnSoftStop(PosixSignalContext ctx)
        {
            ctx.Cancel = true;
            softStop.Cancel();
            stopping.Cancel();
        }
    }

    private static async Task WaitForStopAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
            // Stop requested: the host sweeps tables and ticks on its own until then.
        }
    }
}
