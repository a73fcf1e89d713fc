// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net.Sockets;

namespace Stickpeer.Node.Transport.Sockets;

/// <summary>A TCP connection (its stream is a <see cref="NetworkStream"/> or the <c>SslStream</c> over it).</summary>
internal sealed class SocketPeerConnection : PeerTransportConnection
{
    private readonly Socket _socket;

    public SocketPeerConnection(Socket socket, Stream stream, string remote)
    {
        _socket = socket;
        Stream = stream;
        Remote = remote;
    }

    public override Stream Stream { get; }

    public override string Remote { get; }

    public override string SourceAddress =>
        (_socket.RemoteEndPoint as System.Net.IPEndPoint)?.Address.ToString() ?? Remote;

    protected override async ValueTask CloseAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        await Stream.DisposeAsync();
        _socket.Dispose();
    }
}
