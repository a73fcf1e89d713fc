// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace Stickpeer.Node.Replication;

/// <content>Reload hand-over events (EventIds 2120–2129).</content>
internal static partial class NodeLog
{
    [LoggerMessage(EventId = 2120, EventName = "HandoverStarted", Level = LogLevel.Information, Message = "Soft stop: closing {Sessions} peer session(s) and handing the tables over to the new process as local peer {Peer}")]
    public static partial void HandoverStarted(ILogger logger, int sessions, string peer);

    [LoggerMessage(EventId = 2121, EventName = "HandoverDone", Level = LogLevel.Information, Message = "Hand-over complete: the new process confirmed a lesson of {Entries} entries")]
    public static partial void HandoverDone(ILogger logger, long entries);

    [LoggerMessage(EventId = 2122, EventName = "HandoverFailed", Level = LogLevel.Warning, Message = "Hand-over to the new process not completed within {Seconds} s ({Attempts} attempt(s)); exiting without it")]
    public static partial void HandoverFailed(ILogger logger, double seconds, long attempts);

    [LoggerMessage(EventId = 2123, EventName = "HandoverAwaited", Level = LogLevel.Information, Message = "Waiting up to {Seconds} s for the old process to hand its tables over (local peer {Peer})")]
    public static partial void HandoverAwaited(ILogger logger, double seconds, string peer);

    [LoggerMessage(EventId = 2124, EventName = "HandoverKeptNewer", Level = LogLevel.Debug, Message = "Hand-over update skipped: a remote peer updated the key in this process first")]
    public static partial void HandoverKeptNewer(ILogger logger);

    [LoggerMessage(EventId = 2125, EventName = "LocalPeerRefused", Level = LogLevel.Information, Message = "Connection {Connection} names our own peer name: answered 300 (no hand-over expected now)")]
    public static partial void LocalPeerRefused(ILogger logger, ConnectionId connection);
}
