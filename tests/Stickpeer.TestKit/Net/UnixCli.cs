// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net.Sockets;
using System.Text;

namespace Stickpeer.TestKit.Net;

/// <summary>Sends one request to a UNIX stats socket (HAProxy's or Stickpeer's) and reads the answer to EOF.</summary>
public static class UnixCli
{
    public static async Task<string> SendAsync(string path, string request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request.EndsWith('\n') ? request : request + "\n"), cancellationToken);
        var output = new StringBuilder();
        var buffer = new byte[8192];
        for (var i = 0; i < 10_000; i++)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            if (n == 0)
            {
                break;
            }

            output.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return output.ToString();
    }
}
