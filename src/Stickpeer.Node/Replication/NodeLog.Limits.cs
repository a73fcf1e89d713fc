// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace Stickpeer.Node.Replication;

/// <content>Limits on what a peer controls (EventIds 2140–2149, next 2145).</content>
internal static partial class NodeLog
{
    [LoggerMessage(EventId = 2140, EventName = "PushWindowFull", Level = LogLevel.Warning,
        Message = "Peer {Peer}: {Unacked} updates of table {Table} not acknowledged (pending-ack window full); pushes to it wait for its ACK")]
    public static partial void PushWindowFull(ILogger logger, string peer, string table, uint unacked);

    [LoggerMessage(EventId = 2141, EventName = "HandshakesAbandoned", Level = LogLevel.Warning,
        Message = "{Count} connection(s) closed before their handshake completed ({Reason}; the last from {Address}); a peer that cannot finish its hello, a scan or a slow-loris client")]
    public static partial void HandshakesAbandoned(ILogger logger, long count, string reason, string address);

    [LoggerMessage(EventId = 2142, EventName = "TableUnusable", Level = LogLevel.Warning,
        Message = "Peer {Peer}: table '{Table}' ignored on this session: {Reason} (key type code {KeyType}, key size {KeySize}); its updates are skipped ({HeldBack} more such definitions not logged since the last line)")]
    public static partial void TableUnusable(ILogger logger, string peer, string table, string reason, ulong keyType, ulong keySize, int heldBack);

    [LoggerMessage(EventId = 2143, EventName = "OutputStalled", Level = LogLevel.Warning,
        Message = "Peer {Peer} has read nothing for {Seconds} s: {Bytes} bytes wait for it and its pushes pause (memory stays bounded; other peers are not held up)")]
    public static partial void OutputStalled(ILogger logger, string peer, long seconds, long bytes);

    [LoggerMessage(EventId = 2144, EventName = "OutputResumed", Level = LogLevel.Information,
        Message = "Peer {Peer} reads again after a stall of {Seconds} s")]
    public static partial void OutputResumed(ILogger logger, string peer, long seconds);
}
