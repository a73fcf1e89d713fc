// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;

namespace Stickpeer.Admin;

/// <summary>
/// One CLI connection, like HAProxy 2.6's stats socket: without <c>prompt</c> one request line is
/// answered and the connection closes; after <c>prompt</c> every answer ends with <c>"&gt; "</c> and
/// the connection stays open until <c>quit</c>. Every command's output ends with an empty line.
/// </summary>
public sealed class CliSession
{
    public const string Prompt = "> ";

    private readonly AdminContext _context;
    private readonly CliSetLine _setLine;

    public CliSession(AdminContext context, CliLevel level)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _setLine = new CliSetLine(context);
        Level = level;
    }

    public CliLevel Level { get; private set; }

    public bool Interactive { get; private set; }

    /// <summary>Runs one request line (without its newline) and returns the bytes to send back.</summary>
    public CliResponse Execute(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var output = new StringBuilder();
        var close = Execute(line, output);
        return new CliResponse(output.ToString(), close);
    }

    /// <summary>
    /// Runs one request line (without its newline), appending what to send back to
    /// <paramref name="output"/>; true when the connection closes after it. A plain <c>set table</c>
    /// line runs from <paramref name="line"/> in place, without allocating (what a client
    /// pipelining thousands of them costs); every other line as <see cref="Execute(string)"/>.
    /// </summary>
    public bool Execute(ReadOnlySpan<char> line, StringBuilder output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Level >= CliLevel.Operator && TrySetLine(line, out var answer))
        {
            output.Append(answer).Append('\n');
            if (!Interactive)
            {
                return true;
            }

            output.Append(Prompt);
            return false;
        }

        var response = ExecuteGeneral(line.ToString());
        output.Append(response.Output);
        return response.Close;
    }

    private bool TrySetLine(ReadOnlySpan<char> line, out string answer)
    {
        try
        {
            return _setLine.TryRun(line, out answer);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // As Run: the CLI never takes the process down.
            answer = "Internal error: " + ex.Message + "\n";
            return true;
        }
    }

    private CliResponse ExecuteGeneral(string line)
    {
        var output = new StringBuilder();
        var commands = CliWords.Split(line);
        if (commands.Count == 1 && commands[0].Count == 0)
        {
            if (!Interactive)
            {
                return new CliResponse(string.Empty, Close: true);
            }

            output.Append(CliHelp.Format("Unknown command. Please enter one of the following commands only:", Level)).Append('\n');
            return new CliResponse(output.Append(Prompt).ToString(), Close: false);
        }

        foreach (var words in commands)
        {
            if (words.Count == 0)
            {
                continue;
            }

            if (words[0] == "quit")
            {
                return new CliResponse(output.ToString(), Close: true);
            }

            output.Append(Run(words)).Append('\n');
        }

        if (!Interactive)
        {
            return new CliResponse(output.ToString(), Close: true);
        }

        return new CliResponse(output.Append(Prompt).ToString(), Close: false);
    }

    private string Run(List<string> words)
    {
        try
        {
            return words[0] switch
            {
                "prompt" => TogglePrompt(),
                "help" => CliHelp.Format("The following commands are valid at this level:", Level, words.Count > 1 ? string.Join(' ', words.Skip(1)) : null),
                "user" => Lower(CliLevel.User),
                "operator" => Lower(CliLevel.Operator),
                "show" when words.Count > 1 && words[1] == "table" => TableCommands.Show(_context, words),
                "set" when words.Count > 1 && words[1] == "table" => Level >= CliLevel.Operator ? TableCommands.Set(_context, words) : "Permission denied\n",
                "clear" when words.Count > 1 && words[1] == "table" => TableCommands.Clear(_context, words),
                "show" when words.Count > 1 && words[1] == "peers" => PeersCommand.Show(_context, words),
                "show" when words.Count > 1 && words[1] == "version" => _context.Version + "\n",
                "debug" when words.Count == 2 && words[1] == "gc" => Level >= CliLevel.Admin ? DebugCommand.Gc() : "Permission denied\n",
                _ => CliHelp.Format("Unknown command, but maybe one of the following ones is a better match:", Level),
            };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The CLI never takes the process down: report and keep serving.
            return "Internal error: " + ex.Message + "\n";
        }
    }

    private string TogglePrompt()
    {
        Interactive = !Interactive;
        return string.Empty;
    }

    private string Lower(CliLevel level)
    {
        if (level < Level)
        {
            Level = level;
        }

        return string.Empty;
    }
}
