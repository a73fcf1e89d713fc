// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Daemon.Hosting;

/// <summary>What is at a UNIX stats socket path before Stickpeer binds it.</summary>
public enum UnixSocketState
{
    /// <summary>Nothing: the path can be bound.</summary>
    Free,

    /// <summary>A file nobody answers on (connection refused): a socket left by an earlier run, replaced as HAProxy does.</summary>
    Stale,

    /// <summary>A process answers on it: it belongs to someone else and is never touched.</summary>
    Live,

    /// <summary>The directory of the path does not exist.</summary>
    DirectoryMissing,
}
