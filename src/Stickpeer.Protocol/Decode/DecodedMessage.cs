// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Handshake;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Protocol.Decode;

/// <summary>One decoded item of a session direction, with its position and text form.</summary>
public sealed record DecodedMessage
{
    /// <summary>Offset of the first byte in the direction's byte stream.</summary>
    public required long Offset { get; init; }

    /// <summary>Bytes on the wire.</summary>
    public required long Length { get; init; }

    /// <summary>What it is.</summary>
    public required DecodedMessageKind Kind { get; init; }

    /// <summary>The output line (without the offset prefix).</summary>
    public required string Text { get; init; }

    /// <summary>Class byte (binary messages).</summary>
    public byte Class { get; init; }

    /// <summary>Type byte (binary messages).</summary>
    public byte Type { get; init; }

    /// <summary>The hello (kind <see cref="DecodedMessageKind.Hello"/>).</summary>
    public PeerHello? Hello { get; init; }

    /// <summary>The status (kind <see cref="DecodedMessageKind.Status"/>).</summary>
    public HandshakeStatus Status { get; init; }

    /// <summary>The definition (DEFINE), or the table an update/switch refers to.</summary>
    public DecodedDefine? Table { get; init; }

    /// <summary>The ACK (kind <see cref="DecodedMessageKind.Ack"/>).</summary>
    public AckMessage Ack { get; init; }

    /// <summary>The SWITCH target id.</summary>
    public int SwitchTableId { get; init; }

    /// <summary>True when the update carried its id explicitly (0x80/0x85).</summary>
    public bool ExplicitId { get; init; }

    /// <summary>True for the timed update forms (0x85/0x86).</summary>
    public bool Timed { get; init; }

    /// <summary>The update id (explicit, or previous + 1).</summary>
    public uint UpdateId { get; init; }

    /// <summary>Expire of timed updates, in ms.</summary>
    public uint ExpireMs { get; init; }

    /// <summary>Canonical key bytes of an update.</summary>
    public byte[]? Key { get; init; }

    /// <summary>A copy of the update's values in the sender's schema order.</summary>
    public WireValue[]? Values { get; init; }

    /// <summary>The sender's schema of the update's table.</summary>
    public TableSchema? Schema => Table?.Schema;
}
