// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.TestKit.Daemon;

/// <summary>The shape of <c>StickpeerCommand.RunAsync</c>, so TestKit can run the daemon in-process without referencing it.</summary>
public delegate Task<int> CommandEntry(
    IReadOnlyList<string> args,
    TextReader stdin,
    TextWriter stdout,
    TextWriter stderr,
    Action<IReadOnlyDictionary<string, string>>? started,
    CancellationToken stop);
