// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace Stickpeer.Node.Replication;

/// <content>Limits on what a peer controls (EventIds 2140–2149, next 2141).</content>
internal static partial class NodeLog
{
    [LoggerMessage(EventId = 2140, EventName = "PushWindowFull", Level = LogLevel.Warning,
        Message = "Peer {Peer}: {Unacked} updates of table {Table} not acknowledged (pending-ack window full); pushes to it wait for its ACK")]
    public static partial void PushWindowFull(ILogger logger, string peer, string table, uint unacked);
}
