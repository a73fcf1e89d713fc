// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;

namespace Stickpeer.TestKit.Net;

/// <summary>Finds free TCP ports on 127.0.0.1 (bind port 0, read the port back, release).</summary>
public static class FreePort
{
    /// <summary>Returns a TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int Get()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Returns <paramref name="count"/> distinct free ports.</summary>
    public static int[] GetMany(int count)
    {
        // Hold every socket until all are bound so the same port is not handed out twice.
        var sockets = new List<Socket>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            }

            return sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port).ToArray();
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }
}
