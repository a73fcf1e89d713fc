// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Net;

namespace Stickpeer.Node.Transport.Sockets;

/// <summary>
/// Finds which process holds a listening socket, from Linux's /proc, so that a start-up failure can say
/// "in use by pid 1234 (haproxy)". Best effort: other users' processes are not readable, and every
/// other system answers null.
/// </summary>
public static class SocketOwners
{
    // Bounds on what is read, so a host with a huge /proc cannot stall start-up.
    private const int MaxLines = 200_000;
    private const int MaxProcesses = 100_000;
    private const int MaxDescriptorsPerProcess = 100_000;

    /// <summary>The holder of a TCP listener that conflicts with <paramref name="endpoint"/>, e.g. <c>pid 1234 (haproxy)</c>.</summary>
    public static string? DescribeTcpListener(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var table = endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "/proc/net/tcp6" : "/proc/net/tcp";
        var inode = FindTcpListenerInode(table, endpoint);
        return inode is null ? null : DescribeInode(inode);
    }

    /// <summary>The holder of the listening UNIX socket bound at <paramref name="path"/>.</summary>
    public static string? DescribeUnixListener(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var fields in ReadTable("/proc/net/unix"))
        {
            // Num RefCount Protocol Flags Type St Inode Path; flag 0x10000 is __SO_ACCEPTCON (listening).
            if (fields.Length >= 8 && IsBoundAt(fields[7], path)
                && int.TryParse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var flags) && (flags & 0x10000) != 0)
            {
                return DescribeInode(fields[6]);
            }
        }

        return null;
    }

    // HAProxy binds "<path>.<pid>.tmp" and renames it over the path, and /proc keeps the bound name.
    private static bool IsBoundAt(string bound, string path) =>
        bound == path || (bound.StartsWith(path + ".", StringComparison.Ordinal) && bound.EndsWith(".tmp", StringComparison.Ordinal));

    private static string? FindTcpListenerInode(string table, IPEndPoint endpoint)
    {
        foreach (var fields in ReadTable(table))
        {
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode; st 0A is LISTEN.
            if (fields.Length < 10 || fields[3] != "0A")
            {
                continue;
            }

            var local = fields[1].Split(':');
            if (local.Length != 2 || !int.TryParse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port) || port != endpoint.Port)
            {
                continue;
            }

            var address = ParseProcAddress(local[0]);
            if (address is null || address.Equals(endpoint.Address) || IsAny(address) || IsAny(endpoint.Address))
            {
                return fields[9];
            }
        }

        return null;
    }

    // The kernel prints each 32-bit word of the address in host byte order.
    private static IPAddress? ParseProcAddress(string hex)
    {
        if (hex.Length is not (8 or 32))
        {
            return null;
        }

        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < hex.Length / 8; word++)
        {
            if (!uint.TryParse(hex.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            BitConverter.GetBytes(value).CopyTo(bytes, word * 4);
        }

        return new IPAddress(bytes);
    }

    private static bool IsAny(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    private static string? DescribeInode(string inode)
    {
        var target = $"socket:[{inode}]";
        string[] processes;
        try
        {
            processes = Directory.GetDirectories("/proc");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        foreach (var dir in processes.Take(MaxProcesses))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                foreach (var fd in Directory.EnumerateFiles(Path.Combine(dir, "fd")).Take(MaxDescriptorsPerProcess))
                {
                    if (new FileInfo(fd).LinkTarget == target)
                    {
                        return $"pid {pid} ({ReadName(dir)})";
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another user's process, or one that just exited.
            }
        }

        return null;
    }

    private static string ReadName(string processDir)
    {
        try
        {
            return File.ReadAllText(Path.Combine(processDir, "comm")).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }

    private static IEnumerable<string[]> ReadTable(string path)
    {
        string[] lines;
        try
        {
            lines = File.Exists(path) ? File.ReadLines(path).Take(MaxLines).ToArray() : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            lines = [];
        }

        return lines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
