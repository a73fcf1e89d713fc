// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Daemon.Hosting;

/// <summary>The outcome of <see cref="StartupChecks.Run"/>: problems that stop start-up, and notes (a stale socket to replace).</summary>
public sealed record StartupCheckResult(IReadOnlyList<string> Errors, IReadOnlyList<string> Notes);
