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
            if (!unmounted && i == 0)
            {
                ReportHolders();
            }

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

    /// <summary>
    /// Writes to the test output which process holds what under the mount (open files, mapped
    /// files, working directories), so a busy mount names its holder instead of being retried blindly.
    /// </summary>
    private void ReportHolders()
    {
        var prefix = Mount + "/";
        var found = new List<string>();
        foreach (var proc in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(proc);
            if (!int.TryParse(pid, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            try
            {
                foreach (var fd in System.IO.Directory.EnumerateFileSystemEntries(Path.Combine(proc, "fd")))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is not null && (target == Mount || target.StartsWith(prefix, StringComparison.Ordinal)))
                    {
                        found.Add($"pid {pid} fd {Path.GetFileName(fd)} -> {target}");
                    }
                }

                var cwd = new FileInfo(Path.Combine(proc, "cwd")).LinkTarget;
                if (cwd is not null && (cwd == Mount || cwd.StartsWith(prefix, StringComparison.Ordinal)))
                {
                    found.Add($"pid {pid} cwd {cwd}");
                }

                found.AddRange(File.ReadLines(Path.Combine(proc, "maps"))
                    .Where(l => l.Contains(prefix, StringComparison.Ordinal))
                    .Select(l => $"pid {pid} map {l}"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was read.
            }
        }

        var self = Environment.ProcessId;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"tmpfs {Mount} busy (this process is {self}); holders: {(found.Count == 0 ? "none found" : string.Join("; ", found))}");
    }
}
