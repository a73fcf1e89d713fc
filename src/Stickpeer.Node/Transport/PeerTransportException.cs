// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Transport;

/// <summary>A transport operation failed; <see cref="Failure"/> says why, the message says it for people.</summary>
public sealed class PeerTransportException : Exception
{
    public PeerTransportException(TransportFailure failure, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
    }

    public PeerTransportException()
        : this(TransportFailure.NetworkError, "transport error")
    {
    }

    public PeerTransportException(string message)
        : this(TransportFailure.NetworkError, message)
    {
    }

    public PeerTransportException(string message, Exception innerException)
        : this(TransportFailure.NetworkError, message, innerException)
    {
    }

    public TransportFailure Failure { get; }
}
