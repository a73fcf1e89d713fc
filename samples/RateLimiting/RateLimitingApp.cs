// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Threading.RateLimiting;
using Stickpeer.Node.Embedding;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Samples.RateLimiting;

/// <summary>
/// An app that enforces one per-client request limit together with the HAProxy in front of it: both count
/// into the replicated table <c>rl/clients</c> (HAProxy: <c>track-sc0 src table rl/clients</c>, deny above
/// the limit), so requests through HAProxy and requests straight to the app use the same counter.
/// </summary>
public static class RateLimitingApp
{
    /// <summary>The table as both sides declare it: the rate over one minute, counted from each client's first request.</summary>
    public const string TableDeclaration = "type ip size 100k expire 2m store http_req_cnt,http_req_rate(1m)";

    /// <summary>The rate-limiting policy name.</summary>
    public const string Policy = "shared-per-client";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var config = builder.Configuration;
        var limit = config.GetValue("RateLimit:PerMinute", 10L);
        // Requests from these addresses carrying X-Forwarded-For came through HAProxy, which counted them already.
        var proxies = (config["RateLimit:TrustedProxies"] ?? "127.0.0.1").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(IPAddress.Parse).ToHashSet();

        builder.Services.AddStickpeer(o =>
        {
            o.LocalPeerName = config["Stickpeer:LocalPeer"] ?? "app";
            o.PeersSection = "rl";
            o.Bind = config["Stickpeer:Bind"] ?? "127.0.0.1:10000";
            if (config["Stickpeer:Haproxy"] is { } haproxy)
            {
                o.Peers.Add(new StickpeerPeer(config["Stickpeer:HaproxyName"] ?? "haproxy", haproxy));
            }

            o.Tables.Add(new StickpeerTableDeclaration("clients", TableDeclaration));
        });
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Policy, context =>
            {
                var (client, viaProxy) = ClientOf(context, proxies);
                var table = context.RequestServices.GetRequiredService<StickpeerNode>().Tables["clients"];
                var time = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
                return RateLimitPartition.Get((client, viaProxy), key => new StickTableRateLimiter(table, key.client, limit, count: !key.viaProxy, time));
            });
        });

        var app = builder.Build();
        app.UseRateLimiter();
        app.MapGet("/", () => "hello\n").RequireRateLimiting(Policy);
        // The shared counter for the caller, not counted itself (for demos and tests).
        app.MapGet("/rate", (HttpContext context, StickpeerNode node) =>
            node.Tables["clients"].TryGetValue(ClientOf(context, proxies).Client, StickDataType.HttpReqRate, out var rate) ? rate : 0);
        return app;
    }

    /// <summary>The client: the last X-Forwarded-For address when a trusted proxy sent the request, else the peer address.</summary>
    private static (IPAddress Client, bool ViaProxy) ClientOf(HttpContext context, HashSet<IPAddress> proxies)
    {
        var remote = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        if (proxies.Contains(remote)
            && context.Request.Headers["X-Forwarded-For"].ToString().Split(',').LastOrDefault()?.Trim() is { Length: > 0 } forwarded
            && IPAddress.TryParse(forwarded, out var client))
        {
            return (client, true);
        }

        return (remote, false);
    }
}
