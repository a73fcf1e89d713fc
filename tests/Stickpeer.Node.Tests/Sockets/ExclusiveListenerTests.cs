// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using Stickpeer.Node.Transport.Sockets;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Sockets;

public sealed class ExclusiveListenerTests
{
    [Fact]
    public void Listen_ThenReusePortSocketOnSamePort_CannotBind()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, FreePort.Get());
        using var ours = ExclusiveListener.Listen(endpoint, 8);

        // .NET's ReuseAddress sets SO_REUSEPORT on Linux: with the same option on our side, the kernel
        // would accept this bind and split incoming connections between the two listeners.
        using var intruder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        intruder.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        var ex = Assert.Throws<SocketException>(() => intruder.Bind(endpoint));
        Assert.Equal(SocketError.AddressAlreadyInUse, ex.SocketErrorCode);
    }

    [Fact]
    public void Listen_AddressHeld_ThrowsNamingAddressAndThisProcess()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var endpoint = (IPEndPoint)holder.LocalEndpoint;

        var ex = Assert.Throws<AddressInUseException>(() => ExclusiveListener.Listen(endpoint, 8));

        Assert.Contains($"address {endpoint} is already in use by", ex.Message, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux())
        {
            Assert.Contains($"pid {Environment.ProcessId} (", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Listen_AgainAfterServerClosedConnection_BindsDespiteTimeWait()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, FreePort.Get());
        using (var first = ExclusiveListener.Listen(endpoint, 8))
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(endpoint, TestContext.Current.CancellationToken);
            using var accepted = await first.AcceptAsync(TestContext.Current.CancellationToken);

            // The server side closes first, so its end of the connection (on the listener's port)
            // stays in TIME_WAIT: without SO_REUSEADDR the next bind would fail.
            accepted.Shutdown(SocketShutdown.Both);
            accepted.Close();
            var buffer = new byte[1];
            Assert.Equal(0, await client.ReceiveAsync(buffer, TestContext.Current.CancellationToken));
            client.Close();
        }

        using var second = ExclusiveListener.Listen(endpoint, 8);
        Assert.Equal(endpoint, second.LocalEndPoint);
    }
}
