// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Threading.Channels;

namespace Stickpeer.Node.Transport;

/// <summary>
/// Connections ready to be accepted, in arrival order: the queue behind an
/// <see cref="IPeerListener.AcceptAsync"/> (socket and in-memory listeners alike).
/// </summary>
public sealed class AcceptQueue
{
    private readonly Channel<PeerTransportConnection> _ready = Channel.CreateUnbounded<PeerTransportConnection>();

    /// <summary>Queues a connection; false once the queue is closed (the caller still owns it then).</summary>
    public bool TryAdd(PeerTransportConnection connection) => _ready.Writer.TryWrite(connection);

    /// <summary>The next connection, or null once the queue is closed and empty.</summary>
    public async ValueTask<PeerTransportConnection?> TakeAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _ready.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Accepts nothing more; connections already queued are still handed out.</summary>
    public void Complete() => _ready.Writer.TryComplete();

    /// <summary>Accepts nothing more and closes the connections nobody took.</summary>
    public async ValueTask CloseAsync()
    {
        Complete();
        while (_ready.Reader.TryRead(out var queued))
        {
            await queued.DisposeAsync();
        }
    }
}
