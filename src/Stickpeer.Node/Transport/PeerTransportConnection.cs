// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Transport;

/// <summary>One open connection as the host sees it: a duplex byte stream and where it goes to.</summary>
public abstract class PeerTransportConnection : IAsyncDisposable
{
    /// <summary>Reads what the peer sent; writes reach the peer.</summary>
    public abstract Stream Stream { get; }

    /// <summary>The other end, for logs (address, or a name in memory).</summary>
    public abstract string Remote { get; }

    /// <summary>
    /// Who opened the connection, for per-source limits: the remote IP address without its port
    /// (every connection of one host counts together); <see cref="Remote"/> where there is none.
    /// </summary>
    public virtual string SourceAddress => Remote;

    /// <summary>Closes both directions (the peer reads end of stream) and releases the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes both directions and releases what the connection holds.</summary>
    protected abstract ValueTask CloseAsync();
}
