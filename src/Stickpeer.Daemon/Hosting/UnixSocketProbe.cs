// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net.Sockets;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Transport.Sockets;

namespace Stickpeer.Daemon.Hosting;

/// <summary>
/// Looks at a UNIX socket path without disturbing its owner: a non-blocking connect tells a live socket
/// (accepted, or a full backlog) from a stale one (refused). The probe connection is closed at once and
/// sends nothing, so HAProxy's CLI sees an empty connection.
/// </summary>
public static class UnixSocketProbe
{
    public static UnixSocketState Probe(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
        {
            return UnixSocketState.DirectoryMissing;
        }

        if (!File.Exists(path))
        {
            return UnixSocketState.Free;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return UnixSocketState.Live;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return UnixSocketState.Stale;
        }
        catch (SocketException)
        {
            // A full backlog (EAGAIN) or a socket we may not connect to (EACCES): someone owns it.
            return UnixSocketState.Live;
        }
    }

    /// <summary>The start-up failure for a path that cannot be used, or null when it can (free or stale).</summary>
    public static string? Problem(StatsSocketDefinition socket, UnixSocketState state)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var path = socket.Path!;
        return state switch
        {
            UnixSocketState.DirectoryMissing =>
                $"stats socket '{path}' ({socket.Location}): directory '{Path.GetDirectoryName(Path.GetFullPath(path))}' does not exist",
            UnixSocketState.Live =>
                $"stats socket '{path}' ({socket.Location}) is in use: {SocketOwners.DescribeUnixListener(Path.GetFullPath(path)) ?? "another process"} answers on it. "
                + "It is another program's admin socket (HAProxy's, when this configuration is shared with it); stickpeer never replaces a live socket. "
                + "Give stickpeer a 'stats socket' path of its own, in a configuration run with its own peer name (-L)",
            _ => null,
        };
    }
}
