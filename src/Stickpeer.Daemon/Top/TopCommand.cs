// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net.Http.Headers;
using System.Text.Json;
using Spectre.Console;

namespace Stickpeer.Daemon.Top;

/// <summary>
/// <c>stickpeer top --http &lt;addr:port&gt; [--http-token &lt;t&gt;] [--once]</c>: polls a daemon's HTTP
/// API every second and redraws peers and tables in the terminal, like <c>hatop</c> for the peers
/// side. <c>--once</c> prints one frame and exits (for scripts).
/// </summary>
public static class TopCommand
{
    public const string Usage = """
        usage: stickpeer top --http <addr:port> [--http-token <token>] [--once]
          Live view of a running stickpeer started with --http: peers (state, last status,
          traffic, update rate, ACK lag, errors) and tables (used/size), refreshed every second.
          The token may also come from STICKPEER_HTTP_TOKEN. --once prints one frame and exits.
        exit codes: 0 stopped, 1 the API cannot be read, 2 usage error
        """;

    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);

    /// <summary>Runs the view on <paramref name="console"/> until <paramref name="stop"/> (or once).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, IAnsiConsole console, TextWriter stderr, HttpMessageHandler? handler, TimeProvider time, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(time);
        string? address = null;
        string? token = null;
        var once = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--http" when i + 1 < args.Count:
                    address = args[++i];
                    break;
                case "--http-token" when i + 1 < args.Count:
                    token = args[++i];
                    break;
                case "--once":
                    once = true;
                    break;
                default:
                    await stderr.WriteLineAsync($"stickpeer top: unexpected '{args[i]}'\n{Usage}");
                    return 2;
            }
        }

        if (address is null)
        {
            await stderr.WriteLineAsync("stickpeer top: --http <addr:port> is required\n" + Usage);
            return 2;
        }

        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = new Uri("http://" + address);
        http.Timeout = TimeSpan.FromSeconds(10);
        token ??= Environment.GetEnvironmentVariable("STICKPEER_HTTP_TOKEN");
        if (!string.IsNullOrEmpty(token))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            var sample = await ReadAsync(http, time, stop);
            if (once)
            {
                console.Write(TopView.Render(sample, null));
                return 0;
            }

            await console.Live(TopView.Render(sample, null)).StartAsync(async live =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await Task.Delay(s_interval, stop);
                    var next = await ReadAsync(http, time, stop);
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
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException or KeyNotFoundException or InvalidOperationException)
        {
            await stderr.WriteLineAsync($"stickpeer top: cannot read http://{address}/api: {ex.Message}");
            return 1;
        }
    }

    private static async Task<TopSample> ReadAsync(HttpClient http, TimeProvider time, CancellationToken stop)
    {
        var peers = await GetAsync(http, "/api/peers", stop);
        var tables = await GetAsync(http, "/api/tables", stop);
        return new TopSample(peers, tables, time.GetUtcNow());
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string path, CancellationToken stop)
    {
        using var response = await http.GetAsync(path, stop);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {path}: {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(stop);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: stop);
        return document.RootElement.Clone();
    }
}
