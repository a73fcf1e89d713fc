// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Daemon.Cli;

/// <summary>Process exit codes of <c>stickpeer</c> (<c>decode</c> has its own, see its usage).</summary>
public static class ExitCodes
{
    /// <summary>Stopped normally (SIGTERM/SIGINT), or <c>-c</c>/<c>--help</c>/<c>--version</c> succeeded.</summary>
    public const int Success = 0;

    /// <summary>The configuration is invalid (message <c>file:line: reason</c> on stderr).</summary>
    public const int ConfigurationError = 1;

    /// <summary>Bad command line.</summary>
    public const int UsageError = 2;

    /// <summary>Start-up failed after the configuration was read (cannot listen, bad certificate, socket path in use).</summary>
    public const int StartupError = 3;

    /// <summary>The data directory cannot be used (damaged or newer-format file, not writable, full disk, locked).</summary>
    public const int DataDirectoryError = 4;
}
