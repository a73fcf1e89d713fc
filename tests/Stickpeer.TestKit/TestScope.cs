// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.TestKit;

/// <summary>
/// A test's temp directory and what the test started in it (processes, relays, daemons): on
/// dispose the owned resources are disposed newest first, then the directory is deleted.
/// </summary>
public sealed class TestScope : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    /// <summary>Creates a fresh directory under the temp path whose name starts with <paramref name="prefix"/>.</summary>
    public TestScope(string prefix) => Directory = System.IO.Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The scope's directory.</summary>
    public string Directory { get; }

    /// <summary>Disposes <paramref name="resource"/> with the scope; returns it.</summary>
    public T Own<T>(T resource)
        where T : IAsyncDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
