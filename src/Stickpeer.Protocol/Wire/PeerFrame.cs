// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;

namespace Stickpeer.Protocol.Wire;

/// <summary>
/// One complete binary message: class, type and (when bit 7 of the type is set) its
/// payload. The payload is a slice of the scanned buffer and is valid until the buffer's
/// bytes are consumed.
/// </summary>
public readonly struct PeerFrame
{
    /// <summary>Creates a frame.</summary>
    public PeerFrame(byte messageClass, byte type, ReadOnlySequence<byte> payload)
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
    public ReadOnlySequence<byte> Payload { get; }

    /// <summary>True when the type byte announces a length and payload (bit 7 set).</summary>
    public bool HasPayload => (Type & 0x80) != 0;

    /// <summary>Total bytes of this frame on the wire (header, length and payload).</summary>
    public long WireLength => HasPayload ? 2 + PeerVarint.GetEncodedLength((ulong)Payload.Length) + Payload.Length : 2;

    /// <inheritdoc />
    public override string ToString() => $"class={Class} type=0x{Type:X2} payload={Payload.Length}";
}
