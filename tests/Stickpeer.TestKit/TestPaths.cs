// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.TestKit;

/// <summary>Locates the repository so tests can read committed data files.</summary>
public static class TestPaths
{
    /// <summary>The repository root (the folder holding <c>Stickpeer.slnx</c>).</summary>
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        for (var i = 0; i < 12 && dir is not null; i++, dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Stickpeer.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Stickpeer.slnx not found above " + AppContext.BaseDirectory);
    }
}
