// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;

namespace Stickpeer.TestKit.Net;

/// <summary>
/// Hands out TCP ports on 127.0.0.1 that no other test, in this process or another, will be given.
/// </summary>
/// <remarks>
/// Binding port 0 and releasing it is not enough: the kernel picks such ports from the ephemeral
/// range, so an outgoing connection of another test process (haproxy connecting to its peers, say)
/// can take the port between our release and haproxy's bind — CI saw exactly that
/// ("cannot bind socket (Address already in use)"). Ports here come from below the ephemeral range,
/// where the kernel never picks, and each is reserved across processes by an exclusive lock on a
/// file named after it, held until the process exits. A port is never handed out twice by one process.
/// </remarks>
public static class FreePort
{
    private const int FallbackLow = 20000;
    private const int FallbackHigh = 32767;
    // Per user: a directory another user created would refuse our lock files.
    private static readonly string LockDirectory = Path.Combine(Path.GetTempPath(), "stickpeer-test-ports-" + Environment.UserName);
    private static readonly Lock Gate = new();
    private static readonly List<FileStream> HeldLocks = [];
    private static readonly (int Low, int High) Range = ChooseRange();
    private static int next = Range.Low + Random.Shared.Next(Range.High - Range.Low);

    /// <summary>Returns a TCP port on 127.0.0.1 reserved for this process.</summary>
    public static int Get()
    {
        lock (Gate)
        {
            var span = Range.High - Range.Low;
            for (var attempt = 0; attempt < span; attempt++)
            {
                var port = next;
                next = next + 1 >= Range.High ? Range.Low : next + 1;
                if (TryReserve(port))
                {
                    return port;
                }
            }

            throw new InvalidOperationException($"No free port left in {Range.Low}-{Range.High}.");
        }
    }

    /// <summary>Returns <paramref name="count"/> distinct reserved ports.</summary>
    public static int[] GetMany(int count)
    {
        var ports = new int[count];
        for (var i = 0; i < count; i++)
        {
            ports[i] = Get();
        }

        return ports;
    }

    private static bool TryReserve(int port)
    {
        FileStream? lockFile = null;
        try
        {
            Directory.CreateDirectory(LockDirectory);

            // FileShare.None takes an exclusive flock on Unix, released by the kernel when the process dies.
            lockFile = new FileStream(
                Path.Combine(LockDirectory, port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                FileMode.OpenOrCreate,
                FileAccess.ReadWrite,
                FileShare.None);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        if (!IsBindable(port))
        {
            lockFile.Dispose();
            return false;
        }

        HeldLocks.Add(lockFile);
        return true;
    }

    private static bool IsBindable(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static (int Low, int High) ChooseRange()
    {
        // Stay below the kernel's ephemeral range; fall back to a conventional gap when unreadable.
        try
        {
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range");
            var parts = text.Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            var ephemeralLow = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            if (ephemeralLow - FallbackLow >= 2000)
            {
                return (FallbackLow, ephemeralLow);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        catch (FormatException)
        {
        }

        return (FallbackLow, FallbackHigh);
    }
}
