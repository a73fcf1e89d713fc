// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.IO.Pipelines;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Transport;

namespace Stickpeer.TestKit.Transport;

/// <summary>
/// An in-memory network for <see cref="NodeHost"/>s (Kestrel's in-memory transport, for peers):
/// every host given the same instance reaches the others by the addresses of the configuration,
/// each connection a pair of <see cref="Pipe"/>s (bounded: a slow reader holds its writer back, as
/// a TCP window would). No sockets, no ports; <see cref="SeverAsync"/> cuts every open connection.
/// </summary>
public sealed class InMemoryPeerTransport : IPeerTransport
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, InMemoryPeerListener> _listeners = new(StringComparer.Ordinal);
    private readonly List<InMemoryPeerConnection> _open = [];
    private readonly PipeOptions _pipeOptions;

    /// <param name="windowBytes">Bytes a direction holds before its writer waits (a socket buffer).</param>
    public InMemoryPeerTransport(int windowBytes = 256 * 1024)
    {
        _pipeOptions = new PipeOptions(pauseWriterThreshold: windowBytes, resumeWriterThreshold: windowBytes / 2, useSynchronizationContext: false);
    }

    /// <summary>Connections opened so far (both directions count once).</summary>
    public int ConnectionsOpened { get; private set; }

    public IPeerListener Listen(PeersSectionDefinition section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var address = section.Listener.Address.ToString();
        lock (_lock)
        {
            if (_listeners.ContainsKey(address))
            {
                throw new PeerTransportException(TransportFailure.BindFailed, $"{address} is already bound in memory");
            }

            var listener = new InMemoryPeerListener(address, () => Unbind(address));
            _listeners[address] = listener;
            return listener;
        }
    }

    public ValueTask<PeerTransportConnection> ConnectAsync(PeersSectionDefinition section, PeerDefinition peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(peer);
        cancellationToken.ThrowIfCancellationRequested();
        var address = peer.Address?.ToString() ?? throw new PeerTransportException(TransportFailure.HostNotFound, $"peer '{peer.Name}' has no address");
        lock (_lock)
        {
            if (!_listeners.TryGetValue(address, out var listener))
            {
                throw new PeerTransportException(TransportFailure.Refused, $"nothing listens on {address} (in memory)");
            }

            var toServer = new Pipe(_pipeOptions);
            var toClient = new Pipe(_pipeOptions);
            var client = new InMemoryPeerConnection(toClient.Reader, toServer.Writer, address);
            var server = new InMemoryPeerConnection(toServer.Reader, toClient.Writer, $"{section.Name}/{peer.Name}'s peer");
            if (!listener.Offer(server))
            {
                throw new PeerTransportException(TransportFailure.Refused, $"{address} stopped listening (in memory)");
            }

            _open.Add(client);
            _open.Add(server);
            ConnectionsOpened++;
            return ValueTask.FromResult<PeerTransportConnection>(client);
        }
    }

    /// <summary>Cuts every open connection: both ends read end of stream and writes fail.</summary>
    public async Task SeverAsync()
    {
        InMemoryPeerConnection[] open;
        lock (_lock)
        {
            open = [.. _open];
            _open.Clear();
        }

        foreach (var connection in open)
        {
            await connection.DisposeAsync();
        }
    }

    private void Unbind(string address)
    {
        lock (_lock)
        {
            _listeners.Remove(address);
        }
    }
}
