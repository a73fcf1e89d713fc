// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Session;

namespace Stickpeer.Admin.Http;

/// <summary><c>/healthz</c>, <c>/readyz</c> and <c>GET /api/peers</c>.</summary>
internal static class ApiEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthResponse("live")));
        app.MapGet("/readyz", (AdminContext context) =>
        {
            var sections = context.Invoke(() => context.Node.Sections
                .Select(kv => new SectionReadiness(kv.Key, StateName(kv.Value.Coordinator.State), kv.Value.Coordinator.State == SyncState.Finished))
                .ToList());
            var ready = sections.TrueForAll(s => s.Ready);
            var saved = context.Node.Persistence;
            var persistence = saved is null ? null : saved.IsPersistent ? "saving" : "stopped";
            return TypedResults.Json(new HealthResponse(ready ? "ready" : "resyncing", sections, persistence), ApiJsonContext.Default.HealthResponse, statusCode: ready ? 200 : 503);
        });
        app.MapGet("/api/peers", (AdminContext context) => TypedResults.Ok(context.Invoke(() => Peers(context))));
    }

    /// <summary>HAProxy's names for the resync states.</summary>
    public static string StateName(SyncState state) => state == SyncState.Finished ? "finished" : "from_remote";

    private static PeersResponse Peers(AdminContext context)
    {
        var sections = new List<SectionInfo>();
        foreach (var definition in context.Node.Configuration.PeersSections.Where(s => !s.Disabled))
        {
            var node = context.Node.Sections[definition.Name];
            var snapshot = node.GetSnapshot();
            var c = node.Coordinator;
            var peers = snapshot.Peers.Select(p => new PeerInfo
            {
                Name = p.Name,
                Address = definition.RemotePeers.FirstOrDefault(r => r.Name == p.Name)?.Address?.ToString(),
                State = p.SessionState?.ToString() ?? "None",
                Up = p.SessionState == PeerSessionState.Established,
                LastStatus = p.LastStatus,
                LastStatusName = p.LastStatusName,
                Outbound = p.Outbound,
                Learning = p.Learning,
                Teaching = p.Teaching,
                SinceHandshakeMs = p.SinceHandshake?.TotalMilliseconds,
                ReconnectInMs = p.ReconnectIn?.TotalMilliseconds,
                ConnectAttempts = p.ConnectAttempts,
                SessionsEstablished = p.SessionsEstablished,
                Collisions = p.Collisions,
                ProtocolErrors = p.ProtocolErrors,
                DeadPeerTimeouts = p.DeadPeerTimeouts,
                LessonsTaught = p.LessonsTaught,
                Traffic = new PeerTrafficInfo(p.Traffic.BytesIn, p.Traffic.BytesOut, p.Traffic.MessagesIn, p.Traffic.MessagesOut, p.Traffic.UpdatesIn, p.Traffic.UpdatesOut, p.Traffic.HeartbeatsIn, p.Traffic.HeartbeatsOut),
                Tables = p.Tables.Select(t => new PeerTableInfo(t.Table, t.Acked, t.LastPushed, t.AckLag)).ToList(),
            }).ToList();
            sections.Add(new SectionInfo(
                definition.Name,
                StateName(snapshot.SyncState),
                snapshot.LearningFrom?.Peer,
                c.LessonsCompleted,
                c.LessonsAborted,
                (c.FinishedAt - c.StartedAt)?.TotalMilliseconds,
                snapshot.OpenConnections,
                peers));
        }

        return new PeersResponse(context.Node.Configuration.LocalPeerName, sections);
    }
}
