// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.CodeAnalysis;

namespace Stickpeer.Protocol.Errors;

/// <summary>
/// The only place that throws <see cref="PeerProtocolException"/>. Keeping the throw out of
/// line keeps parser hot paths small and inlinable.
/// </summary>
public static class ThrowHelper
{
    /// <summary>Throws a <see cref="PeerProtocolException"/> for <paramref name="reason"/>.</summary>
    [DoesNotReturn]
    public static void ThrowProtocol(ProtocolError reason) => throw new PeerProtocolException(reason);

    /// <summary>Throws a <see cref="PeerProtocolException"/> for <paramref name="reason"/> with a message.</summary>
    [DoesNotReturn]
    public static void ThrowProtocol(ProtocolError reason, string message) => throw new PeerProtocolException(reason, message);

    /// <summary>Throws for a varint that ran past the end of a complete message.</summary>
    [DoesNotReturn]
    public static void ThrowMalformedVarint() =>
        throw new PeerProtocolException(ProtocolError.MalformedVarint, "varint runs past the end of the message");

    /// <summary>Throws for a varint longer than its allowed maximum.</summary>
    [DoesNotReturn]
    public static void ThrowVarintTooLong() =>
        throw new PeerProtocolException(ProtocolError.VarintTooLong, "varint is too long");

    /// <summary>Throws for a field that ran past the end of a complete message.</summary>
    [DoesNotReturn]
    public static void ThrowTruncated() =>
        throw new PeerProtocolException(ProtocolError.TruncatedMessage, "field runs past the end of the message");

    /// <summary>Throws for a payload longer than the receive limit.</summary>
    [DoesNotReturn]
    public static void ThrowSizeLimit(ulong length, int max) =>
        throw new PeerProtocolException(ProtocolError.SizeLimit, $"message payload of {length} bytes exceeds the limit of {max}");

    /// <summary>Throws for a message of the reserved class 255.</summary>
    [DoesNotReturn]
    public static void ThrowReservedClass() =>
        throw new PeerProtocolException(ProtocolError.ReservedClass, "message class 255 is reserved");

    /// <summary>Throws for a table id that does not fit a signed 32-bit integer.</summary>
    [DoesNotReturn]
    public static void ThrowInvalidTableId(ulong id) =>
        throw new PeerProtocolException(ProtocolError.InvalidTableId, $"table id {id} is out of range");

    /// <summary>Throws for a dictionary id outside 1..128.</summary>
    [DoesNotReturn]
    public static void ThrowInvalidDictionaryId(ulong id) =>
        throw new PeerProtocolException(ProtocolError.InvalidDictionaryId, $"dictionary id {id} is outside 1..128");

    /// <summary>Throws for a handshake line longer than allowed.</summary>
    [DoesNotReturn]
    public static void ThrowLineTooLong(int max) =>
        throw new PeerProtocolException(ProtocolError.LineTooLong, $"handshake line longer than {max} bytes");
}
