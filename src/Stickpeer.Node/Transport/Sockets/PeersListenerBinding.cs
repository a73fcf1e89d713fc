// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using Stickpeer.Node.Configuration;

namespace Stickpeer.Node.Transport.Sockets;

/// <summary>
/// Binds the listening socket of a peers section's <c>bind</c> line: every socket option of the
/// peers listener is set here and nowhere else.
/// </summary>
internal static class PeersListenerBinding
{
    private const int Backlog = 128;

    /// <summary>A bound, listening socket (the caller owns it).</summary>
    /// <exception cref="SocketException">The address cannot be bound (<see cref="AddressInUseException"/> names the holder).</exception>
    /// <exception cref="ArgumentException">The address is not usable.</exception>
    public static Socket Bind(ConfigEndpoint address)
    {
        var ip = address.IsAny ? IPAddress.Any : Resolve(address.Host);
        // Exclusive: a second process on this port would make the kernel split the peers' connections.
        return ExclusiveListener.Listen(new IPEndPoint(ip, address.Port), Backlog);
    }

    private static IPAddress Resolve(string host) =>
        IPAddress.TryParse(host, out var ip) ? ip : Dns.GetHostAddresses(host)[0];
}
