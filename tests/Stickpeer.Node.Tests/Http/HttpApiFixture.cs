// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Admin.Http;
using Stickpeer.Node.Tests.Admin;

namespace Stickpeer.Node.Tests.Http;

/// <summary>A built, not started node (fake clock, no peer sockets) behind the real HTTP server on 127.0.0.1, any free port.</summary>
internal sealed class HttpApiFixture : IAsyncDisposable
{
    private HttpApiFixture(CliTestNode node, HttpApiServer server)
    {
        Node = node;
        Server = server;
        Client = new HttpClient { BaseAddress = new Uri($"http://{server.Endpoint}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public CliTestNode Node { get; }

    public HttpApiServer Server { get; }

    public HttpClient Client { get; }

    public static async Task<HttpApiFixture> StartAsync(string? token = null, string config = CliTestNode.Config)
    {
        var node = new CliTestNode(config);
        var server = await HttpApiServer.StartAsync(
            new HttpApiOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), Token = token }, node.Context, NullLoggerFactory.Instance, TestContext.Current.CancellationToken);
        return new HttpApiFixture(node, server);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body, string? MediaType)> SendAsync(HttpMethod method, string path, string? json = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
    }

    public Task<(HttpStatusCode Status, JsonElement Body, string? MediaType)> GetAsync(string path, string? token = null) => SendAsync(HttpMethod.Get, path, token: token);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        await Node.Context.Node.DisposeAsync();
    }
}
