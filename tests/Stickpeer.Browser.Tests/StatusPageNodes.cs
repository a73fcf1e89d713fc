// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Admin;
using Stickpeer.Admin.Http;
using Stickpeer.Admin.Tables;
using Stickpeer.Node.Composition;
using Stickpeer.Node.Configuration;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Browser.Tests;

/// <summary>
/// Two real nodes, <c>a</c> and <c>b</c>, peered over TCP on 127.0.0.1 (system clock), with
/// <c>a</c> serving the HTTP endpoint on a free loopback port. <c>b</c> can be stopped and
/// started again on the same port, as an operator restarting it would.
/// </summary>
internal sealed class StatusPageNodes : IAsyncDisposable
{
    public const string TableName = "mesh/t";

    private readonly string _config;
    private readonly BuiltNode _a;
    private readonly HttpApiServer _http;
    private BuiltNode? _b;

    private StatusPageNodes(string config, BuiltNode a, HttpApiServer http)
    {
        _config = config;
        _a = a;
        _http = http;
    }

    /// <summary>The status page's address on node <c>a</c>.</summary>
    public Uri PageUri => new($"http://{_http.Endpoint}/");

    public static async Task<StatusPageNodes> StartAsync(CancellationToken cancellationToken)
    {
        var ports = FreePort.GetMany(2);
        var config = $"""
            peers mesh
                peer a 127.0.0.1:{ports[0]}
                peer b 127.0.0.1:{ports[1]}
                table t type string len 32 size 1k expire 10m store gpc0

            """;
        var a = Build(config, "a");
        HttpApiServer? http = null;
        try
        {
            var context = new AdminContext(a.Node, TableRegistry.Of(a.Tables), TimeProvider.System, "stickpeer browser test");
            http = await HttpApiServer.StartAsync(new HttpApiOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0) }, context, NullLoggerFactory.Instance, cancellationToken);
            a.Node.Start();
            var nodes = new StatusPageNodes(config, a, http);
            nodes.StartB();
            return nodes;
        }
        catch
        {
            if (http is not null)
            {
                await http.DisposeAsync();
            }

            await a.Node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Builds and starts node <c>b</c> from the shared configuration.</summary>
    public void StartB()
    {
        if (_b is not null)
        {
            throw new InvalidOperationException("b is already running");
        }

        _b = Build(_config, "b");
        _b.Node.Start();
    }

    /// <summary>Stops node <c>b</c>: its sessions close and its listener goes away.</summary>
    public async Task StopBAsync()
    {
        if (_b is { } b)
        {
            _b = null;
            await b.Node.StopAsync(TimeSpan.FromSeconds(5));
            await b.Node.DisposeAsync();
        }
    }

    /// <summary>A local write of <paramref name="gpc0"/> on <c>b</c>, pushed to <c>a</c> by the peers protocol.</summary>
    public void WriteOnB(string key, long gpc0)
    {
        var b = _b ?? throw new InvalidOperationException("b is not running");
        var status = b.Node.Host.Invoke(() => b.Tables[0].Set(Encoding.ASCII.GetBytes(key), [new DataAssignment(StickDataType.Gpc0, 0, gpc0)]));
        Assert.Equal(LocalUpdateStatus.Created, status);
    }

    /// <summary>gpc0 of <paramref name="key"/> as node <c>a</c> holds it, or null.</summary>
    public long? ReadOnA(string key) =>
        _a.Node.Host.Invoke(() => _a.Tables[0].TryGetValue(Encoding.ASCII.GetBytes(key), StickDataType.Gpc0, 0, out var v) ? v : (long?)null);

    private static BuiltNode Build(string config, string localPeer)
    {
        var parser = new ConfigParser(_ => null);
        parser.ParseText("browser-test.cfg", config);
        return NodeBuilder.Build(parser.Build(localPeer, "host"), TimeProvider.System, NullLoggerFactory.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await StopBAsync();
        await _http.DisposeAsync();
        await _a.Node.StopAsync(TimeSpan.FromSeconds(5));
        await _a.Node.DisposeAsync();
    }
}
