// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text;
using Spectre.Console;
using Stickpeer.Tables.Declaration;

namespace Stickpeer.Daemon.Top;

/// <summary>
/// <c>stickpeer wait-ready (--http … | --socket …) [--timeout 5m]</c>: watches a node's initial
/// resync and returns when every peers section has finished it — the step a rolling restart
/// waits for before it restarts the next node. It shows progress meanwhile (sections' states,
/// entries per table and how fast they arrive): a spinner on a terminal, a line per change
/// (at most one per 5 s) otherwise. Works on HAProxy's stats socket too.
/// </summary>
public static class WaitReadyCommand
{
    public const string Usage = """
        usage: stickpeer wait-ready (--http <addr:port> [--http-token <token>] | --socket <path|host:port>) [--timeout <time>]
          Waits until every peers section of the node has finished its initial resync (learned
          from a peer, or gave up), showing entries learned per table meanwhile. A node that is
          not listening yet is retried. --timeout uses HAProxy's time syntax (default 5m).
        exit codes: 0 ready, 1 the node could not be read until the timeout, 2 usage error,
          3 timed out while the node was still resyncing
        """;

    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_plainEvery = TimeSpan.FromSeconds(5);
    private static readonly HashSet<string> s_valued = ["--timeout"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, IAnsiConsole console, TextWriter stderr, HttpMessageHandler? handler, TimeProvider time, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(time);
        if (TopArguments.TryParse(args, new HashSet<string>(), s_valued, out var parsed) is { } error)
        {
            await stderr.WriteLineAsync($"stickpeer wait-ready: {error}\n{Usage}");
            return 2;
        }

        var timeout = TimeSpan.FromMinutes(5);
        if (parsed.Values.TryGetValue("--timeout", out var t))
        {
            if (!ConfigValueParser.TryParseTimeMs(t, out var ms, out var timeError))
            {
                await stderr.WriteLineAsync($"stickpeer wait-ready: --timeout: {timeError}\n{Usage}");
                return 2;
            }

            timeout = TimeSpan.FromMilliseconds(ms);
        }

        await using var source = parsed.CreateSource(handler, time);
        var watch = new Watch(source, time, time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency));
        try
        {
            if (console.Profile.Capabilities.Interactive)
            {
                await console.Status().StartAsync("connecting to " + Markup.Escape(source.Origin), async ctx =>
                {
                    while (!await watch.StepAsync(stop))
                    {
                        ctx.Status(Markup.Escape(watch.Text));
                        await Task.Delay(s_poll, time, stop);
                    }
                });
            }
            else
            {
                var shown = string.Empty;
                var shownAt = long.MinValue;
                while (!await watch.StepAsync(stop))
                {
                    if (watch.Text != shown && (shownAt == long.MinValue || time.GetElapsedTime(shownAt) >= s_plainEvery))
                    {
                        console.WriteLine(watch.Text);
                        (shown, shownAt) = (watch.Text, time.GetTimestamp());
                    }

                    await Task.Delay(s_poll, time, stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 3;
        }

        if (watch.Ready)
        {
            console.WriteLine(watch.Text);
            return 0;
        }

        await stderr.WriteLineAsync($"stickpeer wait-ready: not ready after {timeout.TotalSeconds:0} s: " + (watch.LastError ?? watch.Text));
        return watch.EverRead && watch.LastError is null ? 3 : 1;
    }

    /// <summary>One poll after another until ready or the deadline; keeps what to show.</summary>
    private sealed class Watch(ITopSource source, TimeProvider time, long deadline)
    {
        private TopSample? _previous;

        public bool Ready { get; private set; }

        public bool EverRead { get; private set; }

        public string? LastError { get; private set; }

        public string Text { get; private set; } = "connecting";

        /// <summary>Polls once; true when done (ready, or the deadline passed).</summary>
        public async Task<bool> StepAsync(CancellationToken stop)
        {
            try
            {
                var sample = await source.ReadAsync(stop);
                EverRead = true;
                LastError = null;
                Ready = sample.Ready;
                Text = Describe(sample, _previous);
                _previous = sample;
            }
            catch (TopSourceException ex)
            {
                LastError = ex.Message;
                Text = "waiting for the node: " + ex.Message;
            }

            return Ready || time.GetTimestamp() >= deadline;
        }

        private static string Describe(TopSample sample, TopSample? previous)
        {
            var ci = CultureInfo.InvariantCulture;
            var sb = new StringBuilder(sample.Ready ? "ready: " : "resyncing: ");
            sb.AppendJoin(", ", sample.Sections.Select(s => $"{s.Name} {s.SyncState}"));
            var seconds = previous is null ? 0 : (sample.At - previous.At).TotalSeconds;
            foreach (var t in sample.Tables)
            {
                sb.Append(ci, $"; {t.Name} {t.Used} entries");
                if (seconds > 0 && previous!.Tables.FirstOrDefault(p => p.Name == t.Name) is { } before)
                {
                    sb.Append(ci, $" ({Math.Max(0, t.Used - before.Used) / seconds:0}/s)");
                }
            }

            return sb.ToString();
        }
    }
}
