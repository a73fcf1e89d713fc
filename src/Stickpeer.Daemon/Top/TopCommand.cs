// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Spectre.Console;

namespace Stickpeer.Daemon.Top;

/// <summary>
/// <c>stickpeer top (--http &lt;addr:port&gt; | --socket &lt;path&gt;) [--once]</c>: reads a node every
/// second and redraws peers and tables in the terminal, like <c>hatop</c> for the peers side.
/// <c>--socket</c> speaks <c>show peers</c>/<c>show table</c>, so it also watches HAProxy itself.
/// </summary>
public static class TopCommand
{
    public const string Usage = """
        usage: stickpeer top (--http <addr:port> [--http-token <token>] | --socket <path|host:port>) [--once]
          Live view of a node: peers (state, last status, traffic, update rate, ACK lag, errors)
          and tables (used/size), refreshed every second. --http reads a stickpeer started with
          --http (token also from STICKPEER_HTTP_TOKEN); --socket reads a stats socket with
          'show peers' and 'show table': a stickpeer admin socket or HAProxy's own (bytes are not
          counted there). --once prints one frame and exits.
        exit codes: 0 stopped, 1 the node cannot be read, 2 usage error
        """;

    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);
    private static readonly HashSet<string> s_flags = ["--once"];

    /// <summary>Runs the view on <paramref name="console"/> until <paramref name="stop"/> (or once).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, IAnsiConsole console, TextWriter stderr, HttpMessageHandler? handler, TimeProvider time, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(time);
        if (TopArguments.TryParse(args, s_flags, new HashSet<string>(), out var parsed) is { } error)
        {
            await stderr.WriteLineAsync($"stickpeer top: {error}\n{Usage}");
            return 2;
        }

        await using var source = parsed.CreateSource(handler, time);
        try
        {
            var sample = await source.ReadAsync(stop);
            if (parsed.Flags.Contains("--once"))
            {
                console.Write(TopView.Render(sample, null));
                return 0;
            }

            await console.Live(TopView.Render(sample, null)).StartAsync(async live =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await Task.Delay(s_interval, time, stop);
                    var next = await source.ReadAsync(stop);
                    live.UpdateTarget(TopView.Render(next, sample));
                    sample = next;
                }
            });
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (TopSourceException ex)
        {
            await stderr.WriteLineAsync("stickpeer top: " + ex.Message);
            return 1;
        }
    }
}
