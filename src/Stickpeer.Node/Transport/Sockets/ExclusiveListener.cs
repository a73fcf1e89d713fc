// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;

namespace Stickpeer.Node.Transport.Sockets;

/// <summary>
/// Binds TCP listeners that no other socket can share. A peers port shared by two processes makes the
/// kernel split incoming peer connections between them, so a second node must fail instead.
/// </summary>
public static class ExclusiveListener
{
    // Linux SOL_SOCKET and SO_REUSEADDR. .NET's SocketOptionName.ReuseAddress also sets SO_REUSEPORT on
    // Linux, which lets any later socket of the same user bind the same port. SO_REUSEADDR alone only
    // allows a restart while old connections of the port are still in TIME_WAIT.
    private const int LinuxSolSocket = 1;
    private const int LinuxSoReuseAddr = 2;

    /// <summary>Binds and listens on <paramref name="endpoint"/>; an address in use throws <see cref="AddressInUseException"/>.</summary>
    public static Socket Listen(IPEndPoint endpoint, int backlog)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(LinuxSolSocket, LinuxSoReuseAddr, BitConverter.GetBytes(1));
            }
            else if (OperatingSystem.IsWindows())
            {
                socket.ExclusiveAddressUse = true;
            }

            socket.Bind(endpoint);
            socket.Listen(backlog);
            return socket;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new AddressInUseException(endpoint.ToString(), SocketOwners.DescribeTcpListener(endpoint));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>True when <paramref name="endpoint"/> could be bound exclusively now (the probe socket is closed at once).</summary>
    public static bool IsFree(IPEndPoint endpoint, out string? holder)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        try
        {
            using var probe = Listen(endpoint, 1);
            holder = null;
            return true;
        }
        catch (AddressInUseException ex)
        {
            holder = ex.Holder;
            return false;
        }
    }
}
