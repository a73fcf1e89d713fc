// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Packaging;

/// <summary>
/// The packaging tests run `dotnet pack`/`build` (minutes of CPU): alone, after the parallel tests, so
/// they do not starve tests that need steady progress (the SIGKILL crash tests, simulation timeouts).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PackagingCollection
{
    public const string Name = "Packaging (not parallel)";
}
