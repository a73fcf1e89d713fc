// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Model;

/// <summary>
/// Key type of a stick table, numbered as on the wire (the network key-type codes of a
/// DEFINE message, which are not HAProxy's internal sample type numbers).
/// </summary>
public enum StickKeyType : byte
{
    /// <summary>32-bit unsigned integer key (<c>type integer</c>), 4 bytes big-endian on the wire.</summary>
    Integer = 2,

    /// <summary>IPv4 address key (<c>type ip</c>), 4 raw bytes in network order.</summary>
    IPv4 = 4,

    /// <summary>IPv6 address key (<c>type ipv6</c>), 16 raw bytes in network order.</summary>
    IPv6 = 5,

    /// <summary>String key (<c>type string [len N]</c>), sent as a varint length and the bytes, no NUL.</summary>
    String = 6,

    /// <summary>Binary key (<c>type binary [len N]</c>), always key-size raw bytes, zero padded.</summary>
    Binary = 7,
}
