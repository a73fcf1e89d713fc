// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Replication;

/// <content>State snapshot for <c>show peers</c>.</content>
public sealed partial class PeerNode
{
    /// <summary>Takes a snapshot of the node (allocates; for the CLI and tests).</summary>
    public PeerNodeSnapshot GetSnapshot()
    {
        var now = _time.GetUtcNow();
        var peers = new List<PeerSnapshot>(_peerList.Length);
        foreach (var p in _peerList)
        {
            var c = p.Current;
            var tables = new PeerTableSnapshot[_tables.Length];
            for (var t = 0; t < _tables.Length; t++)
            {
                tables[t] = new PeerTableSnapshot(
                    _tables[t].Schema.Name,
                    (uint)(t + 1),
                    p.Acked[t],
                    c is { Generation: > 0 } ? c.LastPushed[t] : p.Acked[t],
                    c is { Teaching: true } ? c.TeachOrigin[t] : 0)
                {
                    RemoteId = c is { Generation: > 0 } ? c.RemoteTableId[t] : 0,
                    LastGet = c is { Generation: > 0 } ? c.LastGet[t] : 0,
                    AckLag = c is { Generation: > 0 } ? Outstanding(c, t) : 0,
                };
            }

            peers.Add(new PeerSnapshot
            {
                Name = p.Name,
                SessionState = c?.Session.State,
                Connection = c?.Id,
                Outbound = c?.Outbound ?? false,
                Generation = c?.Generation ?? 0,
                LastStatus = p.LastStatus,
                NoRetry = p.NoRetry,
                ReconnectIn = c is null && !p.NoRetry ? Max(p.ReconnectAt - now, TimeSpan.Zero) : null,
                Learning = c?.Learning ?? false,
                Teaching = c?.Teaching ?? false,
                NotUpToDate = Coordinator.IsNotUpToDate(p.Name),
                SinceHandshake = p.LastHandshakeAt is { } at ? Max(now - at, TimeSpan.Zero) : null,
                HeartbeatIn = c?.Session.NextHeartbeatDue is { } beat ? Max(beat - now, TimeSpan.Zero) : null,
                ConnectAttempts = p.ConnectAttempts,
                SessionsEstablished = p.SessionsEstablished,
                Collisions = p.Collisions,
                PushWindowStalls = p.PushWindowStalls,
                ImpossibleAcks = p.ImpossibleAcks,
                ProtocolErrors = p.ProtocolErrors,
                DeadPeerTimeouts = p.DeadPeerTimeouts,
                LessonsTaught = p.LessonsTaught,
                LessonUpdatesKeptLocal = p.LessonUpdatesKeptLocal,
                SessionCounters = c?.Session.Counters,
                Traffic = c is null ? p.EndedTraffic : p.EndedTraffic.Add(c.Session.Counters, c.BytesSent),
                SessionEnds = p.SessionEnds.ToDictionary(kv => kv.Key, kv => kv.Value),
                ProtocolErrorKinds = p.ProtocolErrorKinds.ToDictionary(kv => kv.Key, kv => kv.Value),
                TablesIgnored = p.TablesIgnored.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
                OutputStalls = p.OutputStalls,
                Tables = tables,
            });
        }

        return new PeerNodeSnapshot(_options.LocalPeerName, Coordinator.State, Coordinator.Learning, peers, _connections.Count);
    }
}
