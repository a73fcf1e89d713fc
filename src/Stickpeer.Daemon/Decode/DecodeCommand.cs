// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Spectre.Console;
using Stickpeer.Protocol.Decode;

namespace Stickpeer.Daemon.Decode;

/// <summary>
/// <c>stickpeer decode [FILE|-]</c>: decodes one direction of a peers session given as hex
/// text (see <see cref="HexInput"/>) and prints one line per item. Lines decoded before an
/// error are always printed; the error goes to stderr with its byte offset. Exit codes:
/// <see cref="DecodeExitCode"/>.
/// </summary>
public static class DecodeCommand
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        usage: stickpeer decode [--progress] [FILE|-]
          Decodes one direction of a HAProxy peers session given as hex text (whitespace,
          colons and '#' comments ignored; one tshark tcp.payload per line also works).
          The input starts with the connector's hello or the acceptor's status line.
          Reads standard input when FILE is '-' or absent. Inputs of 4 MiB and more show a
          progress bar when stderr is a terminal; --progress always shows progress (a line per
          tenth when stderr is not a terminal).
        exit codes: 0 decoded, 1 usage/IO error, 2 not valid hex, 3 malformed protocol data,
          4 input ends inside a message
        """;

    /// <summary>Runs the command.</summary>
    /// <param name="path">Input file, or null / <c>-</c> for standard input.</param>
    /// <param name="stdin">Standard input.</param>
    /// <param name="stdout">Where decoded lines go.</param>
    /// <param name="stderr">Where errors go.</param>
    /// <returns>The exit code (<see cref="DecodeExitCode"/>).</returns>
    public static Task<int> RunAsync(string? path, TextReader stdin, TextWriter stdout, TextWriter stderr) =>
        RunAsync(path, progress: false, terminal: null, stdin, stdout, stderr, TimeProvider.System);

    /// <summary>Runs the command, showing progress on <paramref name="terminal"/> (stderr, when it is one) for large inputs, or always with <paramref name="progress"/>.</summary>
    public static async Task<int> RunAsync(string? path, bool progress, IAnsiConsole? terminal, TextReader stdin, TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        string text;
        try
        {
            text = path is null or "-" ? await stdin.ReadToEndAsync() : await File.ReadAllTextAsync(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"stickpeer decode: cannot read {path}: {ex.Message}");
            return DecodeExitCode.Usage;
        }

        byte[] bytes;
        try
        {
            bytes = HexInput.Parse(text);
        }
        catch (FormatException ex)
        {
            await stderr.WriteLineAsync($"stickpeer decode: input is not hex: {ex.Message}");
            return DecodeExitCode.BadHex;
        }

        var result = progress || (terminal is { Profile.Capabilities.Interactive: true } && bytes.Length >= DecodeProgress.AutomaticFrom)
            ? await DecodeProgress.DecodeAsync(bytes, terminal, stderr, time)
            : SessionDecoder.Decode(bytes);
        foreach (var line in result.Lines)
        {
            await stdout.WriteLineAsync(line);
        }

        await stdout.FlushAsync();
        if (result.Failure is { } failure)
        {
            await stderr.WriteLineAsync("stickpeer decode: " + failure);
            return failure.Incomplete ? DecodeExitCode.Incomplete : DecodeExitCode.Malformed;
        }

        return DecodeExitCode.Success;
    }

    /// <summary>Runs the command from command-line arguments after <c>decode</c>.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stderr);
        var progress = args.Count > 0 && args[0] == "--progress";
        var rest = progress ? args.Skip(1).ToList() : args;
        if (rest.Count > 1 || (rest.Count == 1 && rest[0] is "-h" or "--help"))
        {
            await stderr.WriteLineAsync(Usage);
            return rest.Count == 1 && !progress ? DecodeExitCode.Success : DecodeExitCode.Usage;
        }

        // A bar only where a person watches: stderr is a terminal (and then on stderr, never stdout).
        var terminal = Console.IsErrorRedirected ? null : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await RunAsync(rest.Count == 1 ? rest[0] : null, progress, terminal, stdin, stdout, stderr, TimeProvider.System);
    }
}
