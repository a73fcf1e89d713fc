// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Errors;

/// <summary>
/// Why input was rejected as malformed. Every reason except <see cref="SizeLimit"/> and
/// <see cref="InputOverflow"/> is answered on the wire with the protocol-error message <c>01 00</c>;
/// those two are answered with <c>01 01</c>.
/// </summary>
public enum ProtocolError
{
    /// <summary>No specific reason (used by the parameterless exception constructors).</summary>
    Unspecified = 0,

    /// <summary>A varint inside a complete message ran past the end of the message payload.</summary>
    MalformedVarint,

    /// <summary>A varint has more than 10 bytes, or a frame length varint more than 5 bytes.</summary>
    VarintTooLong,

    /// <summary>A fixed-size field, key or value ran past the end of the message payload.</summary>
    TruncatedMessage,

    /// <summary>A DEFINE carries an empty table name or one that runs to the end of the payload.</summary>
    InvalidTableName,

    /// <summary>A table id does not fit a signed 32-bit integer.</summary>
    InvalidTableId,

    /// <summary>A <c>server_key</c> dictionary id is 0 or greater than 128.</summary>
    InvalidDictionaryId,

    /// <summary>A <c>server_key</c> dictionary value's inner lengths do not fit its declared length.</summary>
    InvalidDictionaryValue,

    /// <summary>A message of the reserved class 255 was received.</summary>
    ReservedClass,

    /// <summary>A message payload is longer than the receive limit (answered with <c>01 01</c>).</summary>
    SizeLimit,

    /// <summary>A handshake line is malformed (for example a status line that is not a number).</summary>
    BadHandshakeLine,

    /// <summary>A handshake line is longer than the configured maximum.</summary>
    LineTooLong,

    /// <summary>A message arrived that is not allowed in the current session state.</summary>
    UnexpectedMessage,

    /// <summary>A peer defined more distinct table ids in one session than the receiver allows.</summary>
    TooManyTables,

    /// <summary>A peer sent more updates than its session's rate limit allows (lessons we asked for are exempt).</summary>
    UpdateRateLimit,

    /// <summary>
    /// The transport holds more received bytes than it buffers without a complete message among
    /// them (a message longer than that buffer, when the configured message size allows one);
    /// answered with <c>01 01</c> like <see cref="SizeLimit"/>.
    /// </summary>
    InputOverflow,
}
