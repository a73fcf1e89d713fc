// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace Stickpeer.Tables.Diagnostics;

/// <summary>Source-generated log messages of the table engine (EventIds 3xxx; next free: 3004).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, EventName = "TableFull", Level = LogLevel.Debug,
        Message = "Table {Table} is full ({Size} entries): new key refused")]
    public static partial void TableFull(ILogger logger, string table, long size);

    [LoggerMessage(EventId = 3002, EventName = "RemoteUpdateRefused", Level = LogLevel.Debug,
        Message = "Table {Table}: update from a peer refused ({Reason})")]
    public static partial void RemoteUpdateRefused(ILogger logger, string table, string reason);

    [LoggerMessage(EventId = 3003, EventName = "Swept", Level = LogLevel.Trace,
        Message = "Table {Table}: {Count} expired entries removed")]
    public static partial void Swept(ILogger logger, string table, int count);
}
