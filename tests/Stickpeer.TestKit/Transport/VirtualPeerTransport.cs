// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Configuration;
using Stickpeer.Node.Transport;

namespace Stickpeer.TestKit.Transport;

/// <summary>
/// A deterministic in-memory network for <see cref="NodeHost"/>s run under a <see cref="DeterministicContext"/>:
/// hosts reach each other by the addresses of their configuration, each link two
/// <see cref="VirtualDirection"/>s with a window, and nothing completes on another thread (unlike
/// <see cref="InMemoryPeerTransport"/>, whose pipes resume on the thread pool). <see cref="Faults"/>
/// refuses, holds and cuts by peer name; <see cref="Cut"/> cuts live links.
/// </summary>
public sealed class VirtualPeerTransport(int windowBytes = 4096) : IPeerTransport
{
    private readonly Dictionary<string, InMemoryPeerListener> _listeners = new(StringComparer.Ordinal);
    private readonly List<VirtualConnection> _links = [];
    private readonly Dictionary<PeersSectionDefinition, string> _aliases = new(ReferenceEqualityComparer.Instance);

    /// <summary>Refusals, held output, cuts after a number of bytes, small reads.</summary>
    public LinkFaults Faults { get; } = new();

    /// <summary>Links whose two ends are open and not cut.</summary>
    public int LiveLinks => _links.Count(c => !c.IsCut && !c.IsClosed && c.Peer is { IsClosed: false });

    public IPeerListener Listen(PeersSectionDefinition section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var address = section.Listener.Address.ToString();
        if (_listeners.ContainsKey(address))
        {
            throw new PeerTransportException(TransportFailure.BindFailed, $"{address} is already bound in memory");
        }

        var listener = new InMemoryPeerListener(address, () => _listeners.Remove(address));
        _listeners[address] = listener;
        return listener;
    }

    public async ValueTask<PeerTransportConnection> ConnectAsync(PeersSectionDefinition section, PeerDefinition peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(peer);

        // A connect never completes inside the host's call (a socket's does not either).
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        var address = peer.Address?.ToString() ?? throw new PeerTransportException(TransportFailure.HostNotFound, $"peer '{peer.Name}' has no address");
        var from = _aliases.GetValueOrDefault(section, section.LocalPeer.Name);
        if (Faults.IsBlocked(from, peer.Name))
        {
            throw new PeerTransportException(TransportFailure.Refused, $"{from} -> {peer.Name} is blocked (in memory)");
        }

        if (!_listeners.TryGetValue(address, out var listener))
        {
            throw new PeerTransportException(TransportFailure.Refused, $"nothing listens on {address} (in memory)");
        }

        var toServer = new VirtualDirection(windowBytes);
        var toClient = new VirtualDirection(windowBytes);
        var client = new VirtualConnection(toClient, toServer, from, peer.Name, isConnector: true, Faults);
        var server = new VirtualConnection(toServer, toClient, peer.Name, from, isConnector: false, Faults);
        client.Peer = server;
        server.Peer = client;
        if (!listener.Offer(server))
        {
            throw new PeerTransportException(TransportFailure.Refused, $"{address} stopped listening (in memory)");
        }

        _links.RemoveAll(c => c.IsClosed && c.Peer is { IsClosed: true });
        _links.Add(client);
        return client;
    }

    /// <summary>
    /// Links opened from now on by the host of <paramref name="section"/> carry <paramref name="alias"/>
    /// as their writer's name, for <see cref="Faults"/> and <see cref="Cut"/> (a reload's old process,
    /// "a-old", while the new one is "a"). Links already open keep their names.
    /// </summary>
    public void Alias(PeersSectionDefinition section, string alias)
    {
        ArgumentNullException.ThrowIfNull(section);
        _aliases[section] = alias;
    }

    /// <summary>Cuts every live link between two peers: both ends read what was sent, then the end of the stream.</summary>
    public void Cut(string a, string b)
    {
        foreach (var link in _links.Where(c => c.Link == (a, b) || c.Link == (b, a)).ToArray())
        {
            link.Cut();
        }
    }
}
