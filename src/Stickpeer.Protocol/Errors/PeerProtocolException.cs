// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Wire;

namespace Stickpeer.Protocol.Errors;

/// <summary>
/// Malformed input from a peer. Thrown only through <see cref="ThrowHelper"/> and caught at
/// the session edge, which answers with <see cref="WireError"/> and closes the connection.
/// </summary>
public sealed class PeerProtocolException : Exception
{
    /// <summary>Creates an exception without a specific reason.</summary>
    public PeerProtocolException()
        : this(ProtocolError.Unspecified)
    {
    }

    /// <summary>Creates an exception without a specific reason.</summary>
    public PeerProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception without a specific reason.</summary>
    public PeerProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for <paramref name="reason"/> with a default message.</summary>
    public PeerProtocolException(ProtocolError reason)
        : this(reason, "peers protocol error: " + reason)
    {
    }

    /// <summary>Creates an exception for <paramref name="reason"/>.</summary>
    public PeerProtocolException(ProtocolError reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Creates an exception for <paramref name="reason"/> wrapping another exception.</summary>
    public PeerProtocolException(ProtocolError reason, string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the input was rejected.</summary>
    public ProtocolError Reason { get; }

    /// <summary>The error message to send before closing: <c>01 01</c> for size limits, else <c>01 00</c>.</summary>
    public ErrorMessageType WireError => ToWireError(Reason);

    /// <summary>Maps a reason to the error message sent on the wire.</summary>
    public static ErrorMessageType ToWireError(ProtocolError reason) =>
        reason == ProtocolError.SizeLimit ? ErrorMessageType.SizeLimit : ErrorMessageType.ProtocolError;
}
