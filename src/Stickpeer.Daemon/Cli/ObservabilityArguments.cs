// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Daemon.Cli;

/// <summary>The command line's observability options (kept apart so that <see cref="CommandLine"/> stays small).</summary>
public sealed record ObservabilityArguments
{
    /// <summary><c>--http &lt;addr:port&gt;</c>, null when off.</summary>
    public string? HttpAddress { get; init; }

    /// <summary><c>--http-token &lt;token&gt;</c> (else the environment variable is read at start).</summary>
    public string? HttpToken { get; init; }

    /// <summary><c>--log-format json</c>: console lines as JSON objects.</summary>
    public bool JsonLogs { get; init; }

    /// <summary>
    /// Reads the option at <paramref name="i"/> if it is one of these (advancing past its value);
    /// false with a null <paramref name="error"/> when it is not, or with the error when its value is bad.
    /// </summary>
    public static bool TryRead(IReadOnlyList<string> args, ref int i, ref ObservabilityArguments into, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(into);
        error = null;
        var option = args[i];
        if (option is not ("--http" or "--http-token" or "--log-format"))
        {
            return false;
        }

        if (++i >= args.Count)
        {
            error = option switch
            {
                "--http" => "--http expects an address and port (e.g. 127.0.0.1:9100)",
                "--http-token" => "--http-token expects a token",
                _ => "--log-format expects 'text' or 'json'",
            };
            return false;
        }

        var value = args[i];
        switch (option)
        {
            case "--http":
                into = into with { HttpAddress = value };
                return true;
            case "--http-token":
                into = into with { HttpToken = value };
                return true;
            default:
                if (value is not ("text" or "json"))
                {
                    error = $"--log-format: '{value}' is neither 'text' nor 'json'";
                    return false;
                }

                into = into with { JsonLogs = value == "json" };
                return true;
        }
    }
}
