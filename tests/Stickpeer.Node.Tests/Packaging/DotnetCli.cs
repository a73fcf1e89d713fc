// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Text;

namespace Stickpeer.Node.Tests.Packaging;

/// <summary>Runs a program (the dotnet CLI, an installed tool) with a time limit and captures its output.</summary>
internal static class DotnetCli
{
    public static async Task<(int Exit, string Output)> RunAsync(string file, string arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Separate, short-lived builds: no build servers left behind by a test.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = new StringBuilder();
        var stdout = PumpAsync(process.StandardOutput, output);
        var stderr = PumpAsync(process.StandardError, output);
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAll(stdout, stderr);
            throw new TimeoutException($"{file} {arguments}: no exit within {timeout.TotalSeconds} s; output:\n{Tail(output)}");
        }

        await Task.WhenAll(stdout, stderr);
        return (process.ExitCode, Tail(output));
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (into)
            {
                into.Append(line).Append('\n');
            }
        }
    }

    private static string Tail(StringBuilder output)
    {
        lock (output)
        {
            // Enough to diagnose a failure, bounded for the test report.
            return output.Length <= 20_000 ? output.ToString() : output.ToString(output.Length - 20_000, 20_000);
        }
    }
}
