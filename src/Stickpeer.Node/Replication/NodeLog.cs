// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace Stickpeer.Node.Replication;

/// <summary>Replication log events (EventIds 2100–2199). Names are a contract. Next free id: 2126 (2120–2129: NodeLog.Handover.cs; 2130–2139: NodeLog.Tables.cs, next 2131; 2140–2149: NodeLog.Limits.cs).</summary>
internal static partial class NodeLog
{
    [LoggerMessage(EventId = 2100, EventName = "SyncStateChanged", Level = LogLevel.Information, Message = "Resync state {From} -> {To}")]
    public static partial void SyncStateChanged(ILogger logger, SyncState from, SyncState to);

    [LoggerMessage(EventId = 2101, EventName = "LessonAssigned", Level = LogLevel.Information, Message = "Asking {Session} for a full resync")]
    public static partial void LessonAssigned(ILogger logger, SessionRef session);

    [LoggerMessage(EventId = 2102, EventName = "LessonCommitted", Level = LogLevel.Information, Message = "Lesson from {Session} complete (finished: {Finished})")]
    public static partial void LessonCommitted(ILogger logger, SessionRef session, bool finished);

    [LoggerMessage(EventId = 2103, EventName = "LessonAborted", Level = LogLevel.Information, Message = "Lesson from {Session} aborted: its session ended")]
    public static partial void LessonAborted(ILogger logger, SessionRef session);

    [LoggerMessage(EventId = 2104, EventName = "StaleSyncEvent", Level = LogLevel.Debug, Message = "Ignoring {Kind} from {Session}: not the assigned lesson")]
    public static partial void StaleSyncEvent(ILogger logger, SyncEventKind kind, SessionRef session);

    [LoggerMessage(EventId = 2105, EventName = "ResyncWindowExpired", Level = LogLevel.Information, Message = "No teacher within the resync window; considering the tables up to date")]
    public static partial void ResyncWindowExpired(ILogger logger);

    [LoggerMessage(EventId = 2106, EventName = "PeerConnecting", Level = LogLevel.Debug, Message = "Connecting to peer {Peer} ({Connection})")]
    public static partial void Connecting(ILogger logger, string peer, ConnectionId connection);

    [LoggerMessage(EventId = 2107, EventName = "PeerCollision", Level = LogLevel.Information, Message = "Peer {Peer}: newer session {New} replaces {Old}")]
    public static partial void Collision(ILogger logger, string peer, ConnectionId @new, ConnectionId old);

    [LoggerMessage(EventId = 2108, EventName = "PeerSessionUp", Level = LogLevel.Information, Message = "Peer {Peer}: session {Session} established on {Connection}")]
    public static partial void SessionUp(ILogger logger, string peer, SessionRef session, ConnectionId connection);

    [LoggerMessage(EventId = 2109, EventName = "PeerSessionDown", Level = LogLevel.Information, Message = "Peer {Peer}: session on {Connection} ended ({Detail})")]
    public static partial void SessionDown(ILogger logger, string peer, ConnectionId connection, string detail);

    [LoggerMessage(EventId = 2110, EventName = "ImpossibleAck", Level = LogLevel.Warning, Message = "Peer {Peer}: ignoring ACK {UpdateId} for table {Table}, outside the sent window ({From}, {To}]")]
    public static partial void ImpossibleAck(ILogger logger, string peer, uint updateId, string table, uint from, uint to);

    [LoggerMessage(EventId = 2111, EventName = "TeachStarted", Level = LogLevel.Information, Message = "Teaching {Session}")]
    public static partial void TeachStarted(ILogger logger, SessionRef session);

    [LoggerMessage(EventId = 2112, EventName = "TeachSent", Level = LogLevel.Information, Message = "Lesson for {Session} sent ({Entries} entries, finished: {Finished})")]
    public static partial void TeachSent(ILogger logger, SessionRef session, long entries, bool finished);

    [LoggerMessage(EventId = 2113, EventName = "TeachConfirmed", Level = LogLevel.Information, Message = "{Session} confirmed our lesson; pushing resumes from the teach origin")]
    public static partial void TeachConfirmed(ILogger logger, SessionRef session);

    [LoggerMessage(EventId = 2114, EventName = "ConnectTimeout", Level = LogLevel.Information, Message = "Peer {Peer}: connection {Connection} not up in time")]
    public static partial void ConnectTimeout(ILogger logger, string peer, ConnectionId connection);

    [LoggerMessage(EventId = 2115, EventName = "LessonKeptLocalWrite", Level = LogLevel.Debug, Message = "Lesson update from {Session} skipped: the key changed locally during the lesson")]
    public static partial void LessonKeptLocalWrite(ILogger logger, SessionRef session);

    [LoggerMessage(EventId = 2116, EventName = "InboundRefused", Level = LogLevel.Warning, Message = "Refused {Count} inbound connection(s) before their handshake ({Reason}; last from {Source}; {Pending} waiting for a handshake)")]
    public static partial void InboundRefused(ILogger logger, int count, string reason, string source, int pending);

    [LoggerMessage(EventId = 2117, EventName = "HandshakeTimeout", Level = LogLevel.Debug, Message = "Connection {Connection}: handshake not complete within {Seconds} s; closing")]
    public static partial void HandshakeTimeout(ILogger logger, ConnectionId connection, double seconds);

    [LoggerMessage(EventId = 2118, EventName = "PeerSessionFailedAgain", Level = LogLevel.Debug, Message = "Peer {Peer}: attempt on {Connection} failed the same way ({Detail}; {Repeats} repeats since the last info line)")]
    public static partial void SessionFailedAgain(ILogger logger, string peer, ConnectionId connection, string detail, long repeats);

    [LoggerMessage(EventId = 2119, EventName = "PeerReachableAgain", Level = LogLevel.Information, Message = "Peer {Peer}: session up after {Attempts} failed attempt(s) ({Failure})")]
    public static partial void PeerReachableAgain(ILogger logger, string peer, long attempts, string failure);
}
