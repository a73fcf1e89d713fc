// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Daemon.Cli;

/// <summary>Parsed command line of <c>stickpeer</c>.</summary>
public sealed record CommandLine
{
    public const string Usage = """
        usage: stickpeer [run] -f <file|dir> [-f <file|dir>]... [-L <name>] [-c] [-d|-q] [-sf <pid>...]
               stickpeer decode [FILE|-]
               stickpeer --version | --help
               stickpeer                  (no arguments: run a demo node)

        Runs a HAProxy peers node from HAProxy configuration files: the peers sections, the
        stick-tables shared through them, and the 'stats socket' lines of 'global'.

          -f <file|dir>  configuration file, or directory whose *.cfg files are read in name order;
                         may be repeated
          -L <name>      local peer name (default: 'localpeer' from global, else the host name)
          -sf <pid>...   reload: ask these old processes to stop softly (SIGUSR1) and hand their tables
                         over as the local peer; the last option on the line
          -c             check the configuration and the start-up (stats socket paths, listener
                         addresses, certificates) and exit
          -d             debug logging          -q  warnings and errors only
          --version, -v  print the version      --help, -h  print this help

        Stops gracefully on SIGTERM or SIGINT (pending updates are flushed, sessions closed);
        on SIGUSR1 (sent by -sf) hands its tables over to the new process, then stops.

        exit codes: 0 success/stopped, 1 configuration error, 2 usage error, 3 start-up failure
                    (an address or stats socket held by another process, a missing directory,
                    a certificate that does not load; also a failed check with -c)
                    (decode: see 'stickpeer decode --help')
        """;

    public CommandMode Mode { get; init; }

    public IReadOnlyList<string> ConfigPaths { get; init; } = [];

    public string? LocalPeer { get; init; }

    public string? DecodeArgument { get; init; }

    /// <summary>Old processes of a reload (<c>-sf</c>).</summary>
    public IReadOnlyList<int> SoftStopPids { get; init; } = [];

    public IReadOnlyList<string> DecodeArguments { get; init; } = [];

    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Information;

    /// <summary>Parses <paramref name="args"/>; returns null with <paramref name="error"/> on a usage error.</summary>
    public static CommandLine? Parse(IReadOnlyList<string> args, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        error = null;
        if (args.Count == 0)
        {
            return new CommandLine { Mode = CommandMode.Demo };
        }

        switch (args[0])
        {
            case "--version" or "-v" or "version":
                return new CommandLine { Mode = CommandMode.Version };
            case "--help" or "-h" or "help":
                return new CommandLine { Mode = CommandMode.Help };
            case "decode":
                return new CommandLine { Mode = CommandMode.Decode, DecodeArguments = args.Skip(1).ToList() };
        }

        var files = new List<string>();
        string? local = null;
        var check = false;
        var level = Microsoft.Extensions.Logging.LogLevel.Information;
        var pids = new List<int>();
        for (var i = args[0] == "run" ? 1 : 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-f":
                    if (++i >= args.Count)
                    {
                        error = "-f expects a file or directory";
                        return null;
                    }

                    files.Add(args[i]);
                    break;
                case "-L":
                    if (++i >= args.Count)
                    {
                        error = "-L expects a peer name";
                        return null;
                    }

                    local = args[i];
                    break;
                case "-c":
                    check = true;
                    break;
                case "-d":
                    level = Microsoft.Extensions.Logging.LogLevel.Debug;
                    break;
                case "-q":
                    level = Microsoft.Extensions.Logging.LogLevel.Warning;
                    break;
                case "-sf":
                    // As in HAProxy: every following argument is a pid.
                    for (i++; i < args.Count; i++)
                    {
                        if (!int.TryParse(args[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) || pid <= 0)
                        {
                            error = $"-sf expects process ids, not '{args[i]}'";
                            return null;
                        }

                        pids.Add(pid);
                    }

                    if (pids.Count == 0)
                    {
                        error = "-sf expects at least one process id";
                        return null;
                    }

                    break;
                default:
                    error = $"unknown option '{args[i]}'";
                    return null;
            }
        }

        if (files.Count == 0 && local is null && !check && pids.Count == 0 && args[0] != "run")
        {
            // Only logging options: the demo node.
            return new CommandLine { Mode = CommandMode.Demo, LogLevel = level };
        }

        if (files.Count == 0)
        {
            error = "no configuration file given (-f)";
            return null;
        }

        return new CommandLine { Mode = check ? CommandMode.Check : CommandMode.Run, ConfigPaths = files, LocalPeer = local, LogLevel = level, SoftStopPids = pids };
    }
}
