// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using Stickpeer.Node.Transport;

namespace Stickpeer.TestKit.Transport;

/// <summary>A listener of <see cref="InMemoryPeerTransport"/>: connections offered by connectors, in order.</summary>
internal sealed class InMemoryPeerListener : IPeerListener
{
    private readonly AcceptQueue _pending = new();
    private readonly Action _unbind;

    public InMemoryPeerListener(string address, Action unbind)
    {
        _unbind = unbind;
        var colon = address.LastIndexOf(':');
        var port = int.Parse(address.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture);
        var host = address[..colon].Trim('[', ']');
        LocalEndpoint = IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
    }

    public EndPoint LocalEndpoint { get; }

    public bool Offer(PeerTransportConnection connection) => _pending.TryAdd(connection);

    public ValueTask<PeerTransportConnection?> AcceptAsync(CancellationToken cancellationToken) => _pending.TakeAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        _unbind();
        return _pending.CloseAsync();
    }
}
