// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Threading.Channels;
using Stickpeer.Node.Transport;

namespace Stickpeer.TestKit.Transport;

/// <summary>A listener of <see cref="InMemoryPeerTransport"/>: connections offered by connectors, in order.</summary>
internal sealed class InMemoryPeerListener : IPeerListener
{
    private readonly Channel<PeerTransportConnection> _pending = Channel.CreateUnbounded<PeerTransportConnection>();
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

    public bool Offer(PeerTransportConnection connection) => _pending.Writer.TryWrite(connection);

    public async ValueTask<PeerTransportConnection?> AcceptAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _pending.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _unbind();
        _pending.Writer.TryComplete();
        while (_pending.Reader.TryRead(out var queued))
        {
            await queued.DisposeAsync();
        }
    }
}
