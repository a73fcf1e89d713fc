// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Replication;

/// <content>Table definition events (EventIds 2130–2139).</content>
internal static partial class NodeLog
{
    [LoggerMessage(EventId = 2130, EventName = "TableKeyMismatch", Level = LogLevel.Warning,
        Message = "Peer {Peer}: table '{Table}' is defined there with key {TheirKeyType} size {TheirKeySize}, here with key {OurKeyType} size {OurKeySize}; the table is ignored on this session (as HAProxy does): fix the configuration of one side")]
    public static partial void TableKeyMismatch(ILogger logger, string peer, string table, StickKeyType theirKeyType, int theirKeySize, StickKeyType ourKeyType, int ourKeySize);
}
