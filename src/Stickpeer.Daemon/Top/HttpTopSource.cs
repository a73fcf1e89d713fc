// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net.Http.Headers;
using System.Text.Json;

namespace Stickpeer.Daemon.Top;

/// <summary>Reads a Stickpeer daemon through its HTTP API (<c>/api/peers</c>, <c>/api/tables</c>).</summary>
public sealed class HttpTopSource : ITopSource
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    public HttpTopSource(string address, string? token, HttpMessageHandler? handler, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(address);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = new Uri("http://" + address);
        _http.Timeout = TimeSpan.FromSeconds(10);
        if (!string.IsNullOrEmpty(token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        Origin = $"http://{address}/api";
    }

    public string Origin { get; }

    public async Task<TopSample> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var peers = await GetAsync("/api/peers", cancellationToken);
            var tables = await GetAsync("/api/tables", cancellationToken);
            return new TopSample(peers.GetProperty("localPeer").GetString(), Sections(peers), Tables(tables), _time.GetUtcNow());
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A cancellation the caller did not ask for is HttpClient's own timeout.
            throw new TopSourceException($"cannot read {Origin}: {ex.Message}", ex);
        }
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private static List<TopSection> Sections(JsonElement peers)
    {
        var sections = new List<TopSection>();
        foreach (var s in peers.GetProperty("sections").EnumerateArray())
        {
            var list = new List<TopPeer>();
            foreach (var p in s.GetProperty("peers").EnumerateArray())
            {
                var traffic = p.GetProperty("traffic");
                list.Add(new TopPeer(
                    p.GetProperty("name").GetString() ?? string.Empty,
                    p.GetProperty("up").GetBoolean(),
                    p.GetProperty("state").GetString() ?? "?",
                    $"{p.GetProperty("lastStatusName").GetString()} ({p.GetProperty("lastStatus").GetInt32()})",
                    traffic.GetProperty("bytesIn").GetInt64(),
                    traffic.GetProperty("bytesOut").GetInt64(),
                    traffic.GetProperty("updatesIn").GetInt64() + traffic.GetProperty("updatesOut").GetInt64(),
                    p.GetProperty("tables").EnumerateArray().Sum(t => t.GetProperty("ackLag").GetInt64()),
                    p.GetProperty("protocolErrors").GetInt64() + p.GetProperty("deadPeerTimeouts").GetInt64() + p.GetProperty("collisions").GetInt64()));
            }

            var state = s.GetProperty("syncState").GetString() ?? "?";
            sections.Add(new TopSection(s.GetProperty("name").GetString() ?? string.Empty, state, state == "finished", list));
        }

        return sections;
    }

    private static List<TopTable> Tables(JsonElement tables) =>
        tables.EnumerateArray().Select(t => new TopTable(
            t.GetProperty("name").GetString() ?? string.Empty,
            t.GetProperty("type").GetString() ?? string.Empty,
            t.GetProperty("used").GetInt64(),
            t.GetProperty("size").GetInt64())).ToList();

    private async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {path}: {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return document.RootElement.Clone();
    }
}
