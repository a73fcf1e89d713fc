// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Wire;

/// <summary>
/// One complete binary message found in a contiguous buffer by
/// <see cref="PeerFrameScanner.TryRead(ReadOnlySpan{byte}, int, out PeerSpanFrame, out int)"/>.
/// The payload is a view of that buffer.
/// </summary>
public readonly ref struct PeerSpanFrame
{
    /// <summary>Creates a frame.</summary>
    public PeerSpanFrame(byte messageClass, byte type, ReadOnlySpan<byte> payload)
    {
        Class = messageClass;
        Type = type;
        Payload = payload;
    }

    /// <summary>The class byte (see <see cref="MessageClass"/>).</summary>
    public byte Class { get; }

    /// <summary>The type byte; bit 7 tells whether a length and payload follow.</summary>
    public byte Type { get; }

    /// <summary>The payload (empty for 2-byte messages).</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>True when the type byte announces a length and payload (bit 7 set).</summary>
    public bool HasPayload => (Type & 0x80) != 0;
}
