// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Decode;

/// <summary>Why decoding stopped before the end of the input.</summary>
/// <param name="Offset">Byte offset (in the direction's byte stream) of the item that could not be decoded.</param>
/// <param name="Incomplete">True when the input simply ends inside an item; false when the bytes are malformed.</param>
/// <param name="Reason">A short reason code (the codec's <c>ProtocolError</c> name, or <c>Incomplete</c>, <c>BadHandshake</c>).</param>
/// <param name="Message">Human-readable details.</param>
public sealed record DecodeFailure(long Offset, bool Incomplete, string Reason, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"error at byte offset {Offset}: {Reason}: {Message}";
}
