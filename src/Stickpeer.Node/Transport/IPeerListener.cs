// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;

namespace Stickpeer.Node.Transport;

/// <summary>A bound listener of one peers section; hands out connections whose TLS handshake (if any) succeeded.</summary>
public interface IPeerListener : IAsyncDisposable
{
    /// <summary>Where the listener is bound (port resolved when the configuration says 0).</summary>
    EndPoint LocalEndpoint { get; }

    /// <summary>The next accepted connection, or null once the listener is stopped.</summary>
    ValueTask<PeerTransportConnection?> AcceptAsync(CancellationToken cancellationToken);
}
