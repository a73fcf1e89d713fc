// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace Stickpeer.Node.Replication;

/// <content>Limits on what a peer controls (EventIds 2140–2149, next 2142).</content>
internal static partial class NodeLog
{
    [LoggerMessage(EventId = 2140, EventName = "PushWindowFull", Level = LogLevel.Warning,
        Message = "Peer {Peer}: {Unacked} updates of table {Table} not acknowledged (pending-ack window full); pushes to it wait for its ACK")]
    public static partial void PushWindowFull(ILogger logger, string peer, string table, uint unacked);

    [LoggerMessage(EventId = 2141, EventName = "HandshakesAbandoned", Level = LogLevel.Warning,
        Message = "{Count} connection(s) closed before their handshake completed ({Reason}; the last from {Address}); a peer that cannot finish its hello, a scan or a slow-loris client")]
    public static partial void HandshakesAbandoned(ILogger logger, long count, string reason, string address);
}
