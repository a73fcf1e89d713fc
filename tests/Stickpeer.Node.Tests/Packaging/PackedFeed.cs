// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.TestKit;

namespace Stickpeer.Node.Tests.Packaging;

/// <summary>
/// Packs the repository once (eng/packages.slnx) into a temporary local feed, with a version no real
/// package has, for every test of <see cref="PackageTests"/>. Builds go to a separate artifacts directory
/// and restores of the feed's packages to a private package folder, so the repository's outputs and the
/// machine's NuGet cache are left as they were.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    private TestScope? _scope;

    public string Root => _scope!.Directory;

    public string Feed => Path.Combine(Root, "feed");

    public string Version { get; } = "0.1.0-test." + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The pack's output (for a failure message), and its exit code.</summary>
    public (int Exit, string Output) Pack { get; private set; }

    /// <summary>Environment for restores of the feed's packages: a private package folder.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["NUGET_PACKAGES"] = Path.Combine(Root, "packages"),
    };

    public async ValueTask InitializeAsync()
    {
        _scope = new TestScope("stickpeer-pack-");
        Directory.CreateDirectory(Feed);
        Pack = await DotnetCli.RunAsync(
            "dotnet",
            $"pack \"{Path.Combine(TestPaths.RepoRoot, "eng", "packages.slnx")}\" -o \"{Feed}\" --artifacts-path \"{Path.Combine(Root, "artifacts")}\" -p:Version={Version}",
            TestPaths.RepoRoot,
            null,
            TimeSpan.FromMinutes(6));
    }

    /// <summary>A NuGet.config with the local feed before the normally configured sources (not cleared), and the machine's package cache as a read-only source so no package is downloaded again.</summary>
    public void WriteNuGetConfig(string directory)
    {
        var cache = Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(directory, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="stickpeer-test-feed" value="{Feed}" />
                <add key="machine-cache" value="{cache}" />
              </packageSources>
            </configuration>
            """);
    }

    public async ValueTask DisposeAsync()
    {
        if (_scope is not null)
        {
            await _scope.DisposeAsync();
        }
    }
}
