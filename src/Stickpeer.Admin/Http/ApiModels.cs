// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text.Json.Serialization;

namespace Stickpeer.Admin.Http;

// The JSON shapes of the HTTP API (docs/observability.md). Durations are milliseconds; fields
// that do not apply are null. Property names are camelCase on the wire.

/// <summary>
/// <c>/healthz</c> and <c>/readyz</c>. <c>Persistence</c> (with a data directory only): <c>saving</c>
/// or <c>stopped</c> (docs/persistence.md, "Full disk while running"; the error is in the log, not
/// on this unauthenticated endpoint). A stopped persistence does not make the node unready: it
/// still serves and replicates from memory.
/// </summary>
internal sealed record HealthResponse(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SectionReadiness>? Sections = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Persistence = null);

/// <summary>Resync state of one peers section, for <c>/readyz</c>.</summary>
internal sealed record SectionReadiness(string Section, string SyncState, bool Ready);

/// <summary><c>GET /api/peers</c>.</summary>
internal sealed record PeersResponse(string LocalPeer, IReadOnlyList<SectionInfo> Sections);

/// <summary>One peers section: its resync state and its remote peers.</summary>
internal sealed record SectionInfo(string Name, string SyncState, string? LearningFrom, long LessonsCompleted, long LessonsAborted, double? ResyncDurationMs, int OpenConnections, IReadOnlyList<PeerInfo> Peers);

/// <summary>One remote peer.</summary>
internal sealed record PeerInfo
{
    public required string Name { get; init; }

    public required string? Address { get; init; }

    /// <summary>The session state (<c>Established</c>, …), or <c>None</c> without a session.</summary>
    public required string State { get; init; }

    public required bool Up { get; init; }

    public required int LastStatus { get; init; }

    public required string LastStatusName { get; init; }

    public required bool Outbound { get; init; }

    public required bool Learning { get; init; }

    public required bool Teaching { get; init; }

    public required double? SinceHandshakeMs { get; init; }

    public required double? ReconnectInMs { get; init; }

    public required long ConnectAttempts { get; init; }

    public required long SessionsEstablished { get; init; }

    public required long Collisions { get; init; }

    public required long ProtocolErrors { get; init; }

    public required long DeadPeerTimeouts { get; init; }

    public required long LessonsTaught { get; init; }

    public required PeerTrafficInfo Traffic { get; init; }

    public required IReadOnlyList<PeerTableInfo> Tables { get; init; }
}

/// <summary>What went through the peer's sessions since the start (all sessions added up).</summary>
internal sealed record PeerTrafficInfo(long BytesIn, long BytesOut, long MessagesIn, long MessagesOut, long UpdatesIn, long UpdatesOut, long HeartbeatsIn, long HeartbeatsOut);

/// <summary>A table's replication position towards one peer; <c>AckLag</c> counts updates pushed and not acknowledged yet.</summary>
internal sealed record PeerTableInfo(string Table, uint Acked, uint LastPushed, uint AckLag);

/// <summary><c>GET /api/tables</c> (one per table) and the header of <c>GET /api/tables/{name}</c>.</summary>
internal sealed record TableInfo(string Name, string NetworkName, string Type, int KeySize, long Size, long Used, uint ExpireMs, IReadOnlyList<DataTypeInfoDto> Data);

/// <summary>A stored data type: its name, array length (1 for scalars) and rate period (null for non-rates).</summary>
internal sealed record DataTypeInfoDto(string Name, int ArrayLength, uint? PeriodMs);

/// <summary><c>GET /api/tables/{name}</c>: the table and its matching entries (at most <c>limit</c>).</summary>
internal sealed record TableEntriesResponse(TableInfo Table, IReadOnlyList<EntryInfo> Entries, bool Truncated);

/// <summary>One entry: its key as <c>show table</c> prints it, and its decoded data by CLI name (<c>gpc0</c>, <c>gpc_rate[1]</c>, <c>server_key</c>).</summary>
internal sealed record EntryInfo(string Key, int Use, uint? ExpireMs, bool Learned, IReadOnlyDictionary<string, object?> Data);
