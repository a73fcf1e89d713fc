// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Daemon.Cli;

public enum CommandMode
{
    Run,
    Check,
    Demo,
    Decode,
    Version,
    Help,

    /// <summary><c>stickpeer top</c>: the live terminal view.</summary>
    Top,

    /// <summary><c>stickpeer wait-ready</c>: waits for a node's initial resync, showing progress.</summary>
    WaitReady,
}
