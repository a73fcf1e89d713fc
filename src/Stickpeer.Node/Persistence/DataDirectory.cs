// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Runtime.InteropServices;

namespace Stickpeer.Node.Persistence;

/// <summary>
/// The files of a data directory: <c>snapshot.sps</c>, <c>log-&lt;generation&gt;.spl</c> (12 digits),
/// <c>snapshot.tmp</c> while one is written, and <c>lock</c> (held with an exclusive open for the
/// node's lifetime, so two processes never share a directory).
/// </summary>
internal static partial class DataDirectory
{
    public const string SnapshotName = "snapshot.sps";
    public const string SnapshotTempName = "snapshot.tmp";
    public const string LockName = "lock";

    public static string LogName(ulong generation) => $"log-{generation.ToString("D12", CultureInfo.InvariantCulture)}.spl";

    /// <summary>The log files in generation order.</summary>
    public static List<(ulong Generation, string Path)> ListLogs(string directory)
    {
        var logs = new List<(ulong, string)>();
        foreach (var path in Directory.EnumerateFiles(directory, "log-*.spl"))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (name.Length == 16 && ulong.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var g))
            {
                logs.Add((g, path));
            }
        }

        logs.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return logs;
    }

    /// <summary>
    /// Makes renames, creations and deletions in <paramref name="directory"/> durable (fsync of
    /// the directory, POSIX). .NET cannot open a directory as a file, hence the two libc calls.
    /// </summary>
    public static void Sync(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // NTFS journals metadata; there is no directory handle to flush.
        }

        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"{directory}: cannot open the directory to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                throw new IOException($"{directory}: fsync of the directory failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
