// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Transport;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// One process incarnation's <see cref="IPeerTransport"/> on the simulated network: its listener is
/// the machine's (reachable by its peer name), its connects go through <see cref="Simulation"/>'s
/// latency, refusals and partitions, and every connection is a <see cref="SimStream"/>.
/// </summary>
internal sealed class SimTransport(Simulation sim, SimHost host, int incarnation) : IPeerTransport
{
    public IPeerListener Listen(PeersSectionDefinition section)
    {
        var listener = new SimListener(host, incarnation);
        if (host.Incarnation == incarnation)
        {
            host.Listener = listener;
        }

        return listener;
    }

    public ValueTask<PeerTransportConnection> ConnectAsync(PeersSectionDefinition section, PeerDefinition peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return new ValueTask<PeerTransportConnection>(sim.Connect(host, incarnation, peer.Name, cancellationToken));
    }
}

/// <summary>A machine's listener: connections the network offered, in order.</summary>
internal sealed class SimListener(SimHost host, int incarnation) : IPeerListener
{
    private readonly AcceptQueue _pending = new();

    public EndPoint LocalEndpoint { get; } = new DnsEndPoint(host.Name, 1024);

    public int Incarnation => incarnation;

    public bool Offer(PeerTransportConnection connection) => _pending.TryAdd(connection);

    public ValueTask<PeerTransportConnection?> AcceptAsync(CancellationToken cancellationToken) => _pending.TakeAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        if (host.Listener == this)
        {
            host.Listener = null;
        }

        return _pending.CloseAsync();
    }
}

/// <summary>A process's connection: its <see cref="SimStream"/>; closing it sends a FIN behind the bytes already sent.</summary>
internal sealed class SimConnectionEnd(Simulation sim, SimStream stream, string remote) : PeerTransportConnection
{
    public override Stream Stream => stream;

    public override string Remote => remote;

    protected override ValueTask CloseAsync()
    {
        sim.CloseByProcess(stream.Endpoint);
        return ValueTask.CompletedTask;
    }
}
