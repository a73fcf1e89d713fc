// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace Stickpeer.Daemon.Hosting;

/// <summary>Daemon and CLI-socket log messages (admin range 5xxx; next free id: 5017).</summary>
internal static partial class DaemonLog
{
    [LoggerMessage(5001, LogLevel.Information, "stats socket listening on {Address} (level {Level})", EventName = "CliListening")]
    public static partial void CliListening(ILogger logger, string address, string level);

    [LoggerMessage(5002, LogLevel.Warning, "stats socket connection failed: {Reason}", EventName = "CliConnectionFailed")]
    public static partial void CliConnectionFailed(ILogger logger, string reason);

    [LoggerMessage(5003, LogLevel.Information, "stickpeer {Version} started as peer '{LocalPeer}' ({Sections} peers section(s), {Tables} table(s))", EventName = "Started")]
    public static partial void Started(ILogger logger, string version, string localPeer, int sections, int tables);

    [LoggerMessage(5004, LogLevel.Information, "received {Signal}: stopping", EventName = "SignalReceived")]
    public static partial void SignalReceived(ILogger logger, string signal);

    [LoggerMessage(5005, LogLevel.Information, "stopped", EventName = "Stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(5006, LogLevel.Warning, "{Warning}", EventName = "ConfigWarning")]
    public static partial void ConfigWarning(ILogger logger, string warning);

    [LoggerMessage(5007, LogLevel.Error, "stats socket connection crashed", EventName = "CliCrashed")]
    public static partial void CliCrashed(ILogger logger, Exception exception);

    [LoggerMessage(5009, LogLevel.Warning, "stats socket line longer than {Limit} bytes; closing", EventName = "CliLineTooLong")]
    public static partial void CliLineTooLong(ILogger logger, int limit);

    [LoggerMessage(5010, LogLevel.Warning, "stats socket {Path} was replaced by another process while stickpeer ran; leaving it in place", EventName = "CliSocketReplaced")]
    public static partial void CliSocketReplaced(ILogger logger, string path);

    [LoggerMessage(5011, LogLevel.Information, "start-up check: {Note}", EventName = "StartupNote")]
    public static partial void StartupNote(ILogger logger, string note);

    [LoggerMessage(5012, LogLevel.Information, "reload: sent the soft-stop signal (SIGUSR1) to old process {Pid}", EventName = "SoftStopSent")]
    public static partial void SoftStopSent(ILogger logger, int pid);

    [LoggerMessage(5013, LogLevel.Warning, "reload: cannot signal old process {Pid}: {Error}", EventName = "SoftStopFailed")]
    public static partial void SoftStopFailed(ILogger logger, int pid, string error);

    [LoggerMessage(5014, LogLevel.Information, "received SIGUSR1: soft stop, handing the tables over to the new process", EventName = "HandingOver")]
    public static partial void HandingOver(ILogger logger);

    [LoggerMessage(5015, LogLevel.Warning, "reload: the old process did not release its addresses within {Seconds} s", EventName = "ReleaseTimedOut")]
    public static partial void ReleaseTimedOut(ILogger logger, double seconds);

    [LoggerMessage(5016, LogLevel.Debug, "TLS: the system CA store is not read ({FileVariable} and {DirectoryVariable} set empty for this process); peers are verified against their ca-file only", EventName = "SystemCaStoreDetached")]
    public static partial void SystemCaStoreDetached(ILogger logger, string fileVariable, string directoryVariable);

    // 5050-5059: the HTTP endpoint (a block of its own, so that other daemon events keep 5012 on).
    [LoggerMessage(5050, LogLevel.Information, "HTTP API and /metrics listening on http://{Address} (bearer token {TokenRequired})", EventName = "HttpListening")]
    public static partial void HttpListening(ILogger logger, string address, bool tokenRequired);
}
