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
}
