// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Configuration;

namespace Stickpeer.Node.Transport;

/// <summary>
/// How a <see cref="NodeHost"/> reaches the network: listen for and connect to peers of a section,
/// each connection a duplex byte stream (TLS already done). Like Kestrel's
/// <c>IConnectionListenerFactory</c>: the socket transport (<see cref="Sockets.SocketPeerTransport"/>)
/// runs in production, an in-memory one (TestKit) in tests, simulations and benchmarks; the host's
/// loop (lock, timers, reconnects) is the same over both.
/// </summary>
public interface IPeerTransport
{
    /// <summary>Binds the section's listener now.</summary>
    /// <exception cref="PeerTransportException">The address cannot be bound (<see cref="TransportFailure.BindFailed"/>).</exception>
    IPeerListener Listen(PeersSectionDefinition section);

    /// <summary>Opens a connection to <paramref name="peer"/> (and runs its TLS handshake when configured).</summary>
    /// <exception cref="PeerTransportException">The connection could not be opened; <see cref="PeerTransportException.Failure"/> says why.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<PeerTransportConnection> ConnectAsync(PeersSectionDefinition section, PeerDefinition peer, CancellationToken cancellationToken);
}
