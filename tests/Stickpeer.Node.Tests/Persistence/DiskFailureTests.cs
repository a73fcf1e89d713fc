// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using Stickpeer.Node.Persistence;
using Stickpeer.Protocol.Model;
using static Stickpeer.Node.Tests.Persistence.PersistenceTestTables;

namespace Stickpeer.Node.Tests.Persistence;

/// <summary>
/// A read-only file system and a full disk at start-up: a clear error, and the files already
/// there still load once the problem is gone. Uses a small tmpfs, so it needs root (mount);
/// skipped otherwise.
/// </summary>
public sealed class DiskFailureTests
{
    [Fact]
    public async Task ReadOnlyFileSystem_IsAClearError_FilesUnchanged()
    {
        await using var disk = await TmpfsScope.CreateAsync("sp-disk", "512k");
        var mount = disk.Mount;
        var data = Path.Combine(mount, "data");
        var time = NewTime();
        var table = Table(time);
        await using (Open(data, time, table))
        {
            table.Increment(Key("a"), StickDataType.Gpc0, amount: 3);
        }

        Assert.Equal(0, Run("mount", "-o", "remount,ro", mount));
        var ex = Assert.Throws<PersistenceException>(() => Open(data, time, Table(time)));
        Assert.Contains("not writable", ex.Message, StringComparison.Ordinal);
        Assert.Contains(data, ex.Message, StringComparison.Ordinal);

        Assert.Equal(0, Run("mount", "-o", "remount,rw", mount));
        var again = Table(time);
        await using (Open(data, time, again))
        {
            Assert.Equal("a=3/", Dump(again));
        }
    }

    [Fact]
    public async Task FullDisk_IsAClearError_FilesUnchanged()
    {
        await using var disk = await TmpfsScope.CreateAsync("sp-disk", "256k");
        var mount = disk.Mount;
        var data = Path.Combine(mount, "data");
        var time = NewTime();
        var table = Table(time);
        await using (Open(data, time, table))
        {
            for (var i = 0; i < 50; i++)
            {
                table.Increment(Key("k" + i), StickDataType.Gpc0, amount: i + 1);
            }
        }

        var files = Directory.GetFiles(data).ToDictionary(f => f, File.ReadAllBytes);
        var filler = Path.Combine(mount, "filler");
        await using (var f = new FileStream(filler, FileMode.CreateNew))
        {
            var block = new byte[4096];
            try
            {
                for (var i = 0; i < 1000; i++)
                {
                    await f.WriteAsync(block, TestContext.Current.CancellationToken);
                    await f.FlushAsync(TestContext.Current.CancellationToken);
                }
            }
            catch (IOException)
            {
                // The disk is full now.
            }
        }

        var ex = Assert.Throws<PersistenceException>(() => Open(data, time, Table(time)));
        Assert.Contains("No space left on device", ex.Message, StringComparison.Ordinal);
        foreach (var (path, bytes) in files)
        {
            Assert.Equal(bytes, await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
        }

        File.Delete(filler);
        var again = Table(time);
        await using (Open(data, time, again))
        {
            Assert.Equal(Dump(table), Dump(again));
        }
    }

    internal static int Run(string exe, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(exe) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            return p.WaitForExit(10_000) ? p.ExitCode : -1;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
