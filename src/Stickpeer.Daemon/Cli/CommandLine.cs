// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Daemon.Cli;

/// <summary>Parsed command line of <c>stickpeer</c>.</summary>
public sealed record CommandLine
{
    public const string Usage = """
        usage: stickpeer [run] -f <file|dir> [-f <file|dir>]... [-L <name>] [-c] [-d|-q] [-sf <pid>...]
                         [--http <addr:port> [--http-token <token>]] [--log-format text|json]
                         [--data-dir <dir>] [--fsync always|never|every <interval>] [--settings <file>]
               stickpeer decode [--progress] [FILE|-]
               stickpeer top (--http <addr:port> [--http-token <token>] | --socket <path|host:port>) [--once]
               stickpeer wait-ready (--http <addr:port> | --socket <path|host:port>) [--timeout <time>]
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
          --http <addr:port>    serve /metrics, /healthz, /readyz and the JSON API (/api/...) there
                         (off by default; e.g. 127.0.0.1:9100). An address other than loopback needs
                         a bearer token: --http-token <token> or env STICKPEER_HTTP_TOKEN
          --log-format text|json  console log lines as text (default) or one JSON object per line
          --data-dir <dir>   keep the tables in <dir> across restarts (docs/persistence.md)
          --fsync <policy>   always | every <interval> (default: every 1s) | never
          --settings <file>  Stickpeer settings file ('data-dir', 'fsync', 'snapshot-log-size', 'max-pending-size' lines,
                             and the peer limits of docs/security.md); command-line options win
          --version, -v  print the version      --help, -h  print this help

        Stops gracefully on SIGTERM or SIGINT (pending updates are flushed, sessions closed);
        on SIGUSR1 (sent by -sf) hands its tables over to the new process, then stops.

        exit codes: 0 success/stopped, 1 configuration error, 2 usage error, 3 start-up failure
                    (an address or stats socket held by another process, a missing directory,
                    a certificate that does not load; also a failed check with -c)
                    4 data directory unusable (damaged or newer-format file, not writable, full
                    disk, locked by another process)
                    (decode: see 'stickpeer decode --help')
        """;

    public CommandMode Mode { get; init; }

    public IReadOnlyList<string> ConfigPaths { get; init; } = [];

    public string? LocalPeer { get; init; }

    /// <summary>Old processes of a reload (<c>-sf</c>).</summary>
    public IReadOnlyList<int> SoftStopPids { get; init; } = [];

    /// <summary>--data-dir, --fsync (its words), --settings: persistence (see Hosting/StickpeerSettings).</summary>
    public string? DataDirectory { get; init; }

    public IReadOnlyList<string>? Fsync { get; init; }

    public string? SettingsFile { get; init; }

    /// <summary>The arguments after the subcommand word (<c>decode</c>, <c>top</c>, <c>wait-ready</c>).</summary>
    public IReadOnlyList<string> SubcommandArguments { get; init; } = [];

    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Information;

    /// <summary>Observability options: <c>--http</c>, <c>--http-token</c>, <c>--log-format</c>.</summary>
    public ObservabilityArguments Observability { get; init; } = new();

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
                return new CommandLine { Mode = CommandMode.Decode, SubcommandArguments = args.Skip(1).ToList() };
            case "top":
                return new CommandLine { Mode = CommandMode.Top, SubcommandArguments = args.Skip(1).ToList() };
            case "wait-ready":
                return new CommandLine { Mode = CommandMode.WaitReady, SubcommandArguments = args.Skip(1).ToList() };
        }

        var files = new List<string>();
        string? local = null;
        var check = false;
        string? dataDir = null, settings = null;
        List<string>? fsync = null;
        var level = Microsoft.Extensions.Logging.LogLevel.Information;
        var observability = new ObservabilityArguments();
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
                case "--data-dir" when i + 1 < args.Count:
                    dataDir = args[++i];
                    break;
                case "--settings" when i + 1 < args.Count:
                    settings = args[++i];
                    break;
                case "--fsync" when i + 1 < args.Count:
                    fsync = args[i + 1] == "every" && i + 2 < args.Count ? [args[++i], args[++i]] : [args[++i]];
                    break;
                case "--data-dir" or "--settings" or "--fsync":
                    error = $"{args[i]} expects a value";
                    return null;
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
                    if (ObservabilityArguments.TryRead(args, ref i, ref observability, out error))
                    {
                        break;
                    }

                    error ??= $"unknown option '{args[i]}'";
                    return null;
            }
        }

        if (files.Count == 0 && local is null && !check && pids.Count == 0 && args[0] != "run" && dataDir is null && settings is null && fsync is null)
        {
            // Only logging options: the demo node.
            return new CommandLine { Mode = CommandMode.Demo, LogLevel = level, Observability = observability };
        }

        if (files.Count == 0)
        {
            error = "no configuration file given (-f)";
            return null;
        }

        return new CommandLine
        {
            Mode = check ? CommandMode.Check : CommandMode.Run, ConfigPaths = files, LocalPeer = local, LogLevel = level, Observability = observability,
            DataDirectory = dataDir, Fsync = fsync, SettingsFile = settings, SoftStopPids = pids,
        };
    }
}
