// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace Stickpeer.Node.Persistence;

/// <summary>Persistence log messages (EventIds 6000–6099).</summary>
internal static partial class PersistenceLog
{
    [LoggerMessage(EventId = 6000, EventName = "Loaded", Level = LogLevel.Information, Message = "Data directory {Directory}: loaded {Entries} entries into {Tables} tables ({Snapshot}, {Logs} log files, {Records} records, {Expired} expired while down) in {ElapsedMs} ms")]
    public static partial void Loaded(ILogger logger, string directory, long entries, int tables, string snapshot, int logs, long records, long expired, long elapsedMs);

    [LoggerMessage(EventId = 6001, EventName = "TornTail", Level = LogLevel.Warning, Message = "{File}: dropped a torn last record at offset {Offset} ({Problem}); the file is cut there")]
    public static partial void TornTail(ILogger logger, string file, long offset, string problem);

    [LoggerMessage(EventId = 6002, EventName = "UnknownTable", Level = LogLevel.Warning, Message = "Data directory: table '{Table}' is not in the configuration any more; its {Records} records are skipped (and dropped at the next snapshot)")]
    public static partial void UnknownTable(ILogger logger, string table, long records);

    [LoggerMessage(EventId = 6003, EventName = "Refused", Level = LogLevel.Warning, Message = "Data directory: table '{Table}' refused {Count} stored entries ({Reason})")]
    public static partial void Refused(ILogger logger, string table, long count, string reason);

    [LoggerMessage(EventId = 6004, EventName = "SnapshotWritten", Level = LogLevel.Information, Message = "Snapshot written: {Entries} entries, {Bytes} bytes in {ElapsedMs} ms; logs before generation {Generation} removed")]
    public static partial void SnapshotWritten(ILogger logger, long entries, long bytes, long elapsedMs, ulong generation);

    [LoggerMessage(EventId = 6005, EventName = "WriteFailed", Level = LogLevel.Error, Message = "Cannot write {File}: {Error}; retried every second for up to {TimeoutMs} ms (changes wait in memory, up to {MaxPendingBytes} bytes, and so do ACKs and CLI answers); then persistence stops (6010)")]
    public static partial void WriteFailed(ILogger logger, string file, string error, long timeoutMs, long maxPendingBytes);

    [LoggerMessage(EventId = 6006, EventName = "WriteRecovered", Level = LogLevel.Information, Message = "{File}: writing works again")]
    public static partial void WriteRecovered(ILogger logger, string file);

    [LoggerMessage(EventId = 6007, EventName = "SnapshotFailed", Level = LogLevel.Error, Message = "Snapshot failed: {Error}; the logs are kept and a snapshot is tried again later")]
    public static partial void SnapshotFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 6008, EventName = "LeftoverRemoved", Level = LogLevel.Information, Message = "{File}: removed (already contained in the snapshot)")]
    public static partial void LeftoverRemoved(ILogger logger, string file);

    [LoggerMessage(EventId = 6009, EventName = "Closed", Level = LogLevel.Information, Message = "Data directory {Directory}: closed ({Records} records written since start)")]
    public static partial void Closed(ILogger logger, string directory, long records);

    [LoggerMessage(EventId = 6010, EventName = "PersistenceStopped", Level = LogLevel.Error, Message = "Data directory {Directory}: persistence STOPPED: {Reason}; last error: {LastError}. The node keeps serving its tables from memory, and ACKs and CLI answers no longer wait for the disk, but changes are NOT saved: a restart now loads what was written before this. A full snapshot is tried every {RetrySeconds} s; when one succeeds, persistence resumes (6011)")]
    public static partial void Stopped(ILogger logger, string directory, string reason, string lastError, long retrySeconds);

    [LoggerMessage(EventId = 6011, EventName = "PersistenceResumed", Level = LogLevel.Warning, Message = "Data directory {Directory}: persistence resumed: a snapshot of {Entries} entries ({Bytes} bytes) holds the tables again; changes are saved again")]
    public static partial void Resumed(ILogger logger, string directory, long entries, long bytes);
}
