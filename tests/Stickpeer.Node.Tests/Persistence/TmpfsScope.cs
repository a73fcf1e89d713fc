// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.TestKit;

namespace Stickpeer.Node.Tests.Persistence;

/// <summary>
/// A temporary directory with a small tmpfs mounted in it (a disk that can fill up or turn read
/// only). Disposing unmounts first, then removes the directory, so no test can leave a mount behind
/// or fail its clean-up on one. Skips the test where tmpfs cannot be mounted (not Linux, not root).
/// </summary>
internal sealed class TmpfsScope : IAsyncDisposable
{
    private readonly TestScope _scope;

    private TmpfsScope(TestScope scope, string mount)
    {
        _scope = scope;
        Mount = mount;
    }

    /// <summary>The scope's directory (the mount point is inside it).</summary>
    public string Directory => _scope.Directory;

    /// <summary>The tmpfs mount point.</summary>
    public string Mount { get; }

    public static async Task<TmpfsScope> CreateAsync(string prefix, string size)
    {
        var scope = new TestScope(prefix);
        try
        {
            Assert.SkipWhen(!OperatingSystem.IsLinux(), "tmpfs mounts are Linux only");
            var mount = System.IO.Directory.CreateDirectory(Path.Combine(scope.Directory, "mnt")).FullName;
            Assert.SkipWhen(DiskFailureTests.Run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount) != 0, "cannot mount a tmpfs (needs root)");
            return new TmpfsScope(scope, mount);
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Unmounts, retried for a few seconds because a process that just closed its last file there
    /// may keep the mount busy for a moment; then detaches it lazily (the kernel frees it when the
    /// last handle goes). A CI run saw the mount still busy after 2 s under load (an in-process
    /// daemon's handle, not yet traced).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var unmounted = false;
        for (var i = 0; i < 50 && !unmounted; i++)
        {
            unmounted = DiskFailureTests.Run("umount", Mount) == 0;
            if (!unmounted)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                await Task.Delay(100, CancellationToken.None);
            }
        }

        if (!unmounted)
        {
            DiskFailureTests.Run("umount", "-l", Mount);
        }

        await _scope.DisposeAsync();
    }
}
