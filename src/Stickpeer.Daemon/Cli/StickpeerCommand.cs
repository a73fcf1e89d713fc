// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;
using Stickpeer.Daemon.Decode;
using Stickpeer.Daemon.Hosting;
using Stickpeer.Daemon.Logging;
using Stickpeer.Node.Configuration;

namespace Stickpeer.Daemon.Cli;

/// <summary>Entry point of the <c>stickpeer</c> executable (testable: streams and a stop token are parameters).</summary>
public static class StickpeerCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextReader stdin, TextWriter stdout, TextWriter stderr, Action<IReadOnlyDictionary<string, string>>? started = null, CancellationToken stop = default)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var command = CommandLine.Parse(args, out var error);
        if (command is null)
        {
            await stderr.WriteLineAsync("stickpeer: " + error);
            await stderr.WriteLineAsync(CommandLine.Usage);
            return ExitCodes.UsageError;
        }

        switch (command.Mode)
        {
            case CommandMode.Version:
                await stdout.WriteLineAsync($"stickpeer {DaemonRunner.Version} (HAProxy peers protocol 2.1; configuration and CLI of HAProxy 2.6)");
                return ExitCodes.Success;
            case CommandMode.Help:
                await stdout.WriteLineAsync(CommandLine.Usage);
                return ExitCodes.Success;
            case CommandMode.Decode:
                return await DecodeCommand.RunAsync(command.SubcommandArguments, stdin, stdout, stderr);
            case CommandMode.Top:
                return await Top.TopCommand.RunAsync(command.SubcommandArguments, Spectre.Console.AnsiConsole.Console, stderr, null, TimeProvider.System, stop);
            case CommandMode.WaitReady:
                return await Top.WaitReadyCommand.RunAsync(command.SubcommandArguments, Spectre.Console.AnsiConsole.Console, stderr, null, TimeProvider.System, stop);
        }

        if (!TryHttpOptions(command.Observability, out var http, out var httpError))
        {
            await stderr.WriteLineAsync("stickpeer: " + httpError);
            return ExitCodes.UsageError;
        }

        DemoConfiguration? demo = null;
        var paths = command.ConfigPaths;
        if (command.Mode == CommandMode.Demo)
        {
            demo = DemoConfiguration.Create();
            paths = [demo.ConfigPath];
        }

        StickpeerConfiguration configuration;
        StickpeerSettings settings;
        try
        {
            configuration = DaemonRunner.LoadConfiguration(paths, demo is null ? command.LocalPeer : DemoConfiguration.LocalPeer);
            settings = (command.SettingsFile is { } file ? StickpeerSettings.Load(file) : new StickpeerSettings())
                .Override(command.DataDirectory, command.Fsync);
        }
        catch (ConfigurationException ex)
        {
            await stderr.WriteLineAsync("stickpeer: " + ex.Message);
            return ExitCodes.ConfigurationError;
        }

        // The old process holds the data directory until it has taught the new one, and the new one
        // opens it before that: the two cannot meet. A plain restart loses nothing with persistence
        // on (the tables are on disk), so that is the answer until the hand-over passes the directory.
        configuration = configuration with { Limits = settings.Limits };
        if (command.SoftStopPids.Count > 0 && settings.ToPersistenceOptions() is not null)
        {
            await stderr.WriteLineAsync("stickpeer: -sf (reload hand-over) cannot be combined with a data directory yet: stop the old process and start again instead (the tables are kept on disk)");
            return ExitCodes.UsageError;
        }

        if (command.Mode == CommandMode.Check)
        {
            foreach (var warning in configuration.Warnings)
            {
                await stderr.WriteLineAsync("[WARNING] " + warning);
            }

            // -c also runs the start-up checks, so that a stats socket or port held by HAProxy is
            // found before the node is started next to it.
            var checks = StartupChecks.Run(configuration, probeAddresses: true);
            foreach (var note in checks.Notes)
            {
                await stderr.WriteLineAsync("[NOTICE] " + note);
            }

            foreach (var problem in checks.Errors)
            {
                await stderr.WriteLineAsync("[ALERT] start-up would fail: " + problem);
            }

            if (checks.Errors.Count > 0)
            {
                await stdout.WriteLineAsync("Configuration file is valid, but stickpeer cannot start with it here (see the alerts)");
                return ExitCodes.StartupError;
            }

            await stdout.WriteLineAsync("Configuration file is valid");
            return ExitCodes.Success;
        }

        // -d/-q set the console's level only; each syslog target has the levels of its 'log' line,
        // as in HAProxy.
        using var loggers = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Trace)
            .AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, command.LogLevel)
            // ASP.NET Core (the --http endpoint) logs warnings and errors only, on every target.
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>("Microsoft", LogLevel.Warning)
            .AddDaemonConsole(command.Observability.JsonLogs)
            .AddProvider(new SyslogLoggerProvider(configuration.LogTargets, TimeProvider.System)));
        if (demo is not null)
        {
            await stdout.WriteLineAsync(demo.Instructions);
        }

        try
        {
            return await DaemonRunner.RunAsync(configuration, loggers, stderr, started, stop, http, settings.ToPersistenceOptions(), command.SoftStopPids);
        }
        finally
        {
            if (demo is not null)
            {
                Directory.Delete(demo.Directory, recursive: true);
            }
        }
    }

    /// <summary>The HTTP endpoint's options (null when off); false on a bad address or a missing token.</summary>
    private static bool TryHttpOptions(ObservabilityArguments arguments, out Admin.Http.HttpApiOptions? options, out string? error)
    {
        options = null;
        error = null;
        if (arguments.HttpAddress is not { } address)
        {
            error = arguments.HttpToken is null ? null : "--http-token needs --http <addr:port>";
            return error is null;
        }

        var token = arguments.HttpToken ?? Environment.GetEnvironmentVariable(Admin.Http.HttpApiOptions.TokenVariable);
        return Admin.Http.HttpApiOptions.TryCreate(address, token, out options, out error);
    }
}
