// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Transport;
using Stickpeer.Node.Transport.Sockets;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Transport;

/// <summary>The socket transport on its own: failures come back as <see cref="TransportFailure"/> kinds.</summary>
public sealed class SocketTransportTests
{
    [Fact]
    public async Task ConnectAsync_NothingListening_FailsAsRefused()
    {
        var ports = FreePort.GetMany(2);
        var section = TestNode.Parse("a", $"peers mesh\n peer a 127.0.0.1:{ports[0]}\n peer b 127.0.0.1:{ports[1]}\n").PeersSections.Single();
        using var transport = new SocketPeerTransport();

        var ex = await Assert.ThrowsAsync<PeerTransportException>(() =>
            transport.ConnectAsync(section, section.Peers.Single(p => p.Name == "b"), TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(TransportFailure.Refused, ex.Failure);
    }
}
