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
                return await DecodeCommand.RunAsync(command.DecodeArguments, stdin, stdout, stderr);
        }

        DemoConfiguration? demo = null;
        var paths = command.ConfigPaths;
        if (command.Mode == CommandMode.Demo)
        {
            demo = DemoConfiguration.Create();
            paths = [demo.ConfigPath];
        }

        StickpeerConfiguration configuration;
        try
        {
            configuration = DaemonRunner.LoadConfiguration(paths, demo is null ? command.LocalPeer : DemoConfiguration.LocalPeer);
        }
        catch (ConfigurationException ex)
        {
            await stderr.WriteLineAsync("stickpeer: " + ex.Message);
            return ExitCodes.ConfigurationError;
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
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            })
            .AddProvider(new SyslogLoggerProvider(configuration.LogTargets, TimeProvider.System)));
        if (demo is not null)
        {
            await stdout.WriteLineAsync(demo.Instructions);
        }

        try
        {
            return await DaemonRunner.RunAsync(configuration, loggers, stderr, started, stop, command.SoftStopPids);
        }
        finally
        {
            if (demo is not null)
            {
                Directory.Delete(demo.Directory, recursive: true);
            }
        }
    }
}
