// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Stickpeer.Admin.Http;

/// <summary>
/// The daemon's HTTP endpoint on Kestrel: health probes, the JSON API, <c>/metrics</c>
/// (OpenTelemetry's Prometheus exporter over every <c>Stickpeer.*</c> meter). Handlers reach
/// nodes and tables only through <see cref="AdminContext.Invoke{T}"/>, under the host lock.
/// </summary>
public sealed class HttpApiServer : IAsyncDisposable
{
    /// <summary>Largest request body accepted (413 above).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private readonly WebApplication _app;

    private HttpApiServer(WebApplication app) => _app = app;

    /// <summary>Where the server listens (the real port when 0 was asked).</summary>
    public IPEndPoint Endpoint { get; private set; } = new(IPAddress.Loopback, 0);

    /// <summary>Builds and starts the server; throws <see cref="IOException"/> when the address cannot be bound.</summary>
    public static async Task<HttpApiServer> StartAsync(HttpApiOptions options, AdminContext context, ILoggerFactory loggers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(loggers);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "stickpeer", Args = [] });
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(options.Endpoint);
            k.AddServerHeader = false;

            // The largest body is a PUT of one entry's data values: a few hundred bytes.
            k.Limits.MaxRequestBodySize = MaxBodyBytes;
        });
        builder.WebHost.SuppressStatusMessages(true);

        // The daemon's loggers (its console format and filters), and its own signal handling:
        // the host must not stop on SIGTERM by itself.
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<IHostLifetime, DaemonOwnedLifetime>();
        builder.Services.AddSingleton(context);
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("stickpeer"))
            .WithMetrics(m => m.AddMeter("Stickpeer.*").AddPrometheusExporter());

        var app = builder.Build();
        if (options.Token is { } token)
        {
            var check = new BearerTokenCheck(token);
            app.Use(check.InvokeAsync);
        }

        app.UseStatusCodePages();
        app.MapPrometheusScrapingEndpoint("/metrics");
        ApiEndpoints.Map(app);
        TableEndpoints.Map(app);
        StatusPageEndpoints.Map(app);

        var server = new HttpApiServer(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await app.DisposeAsync();
            throw new IOException($"HTTP API: cannot listen on {options.Endpoint}: {ex.Message}", ex);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        server.Endpoint = address is not null && Uri.TryCreate(address, UriKind.Absolute, out var uri)
            ? new IPEndPoint(options.Endpoint.Address, uri.Port)
            : options.Endpoint;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Requests still running after the grace period are cut.
        }

        await _app.DisposeAsync();
    }

    /// <summary>The daemon starts and stops the server and handles signals itself.</summary>
    private sealed class DaemonOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
