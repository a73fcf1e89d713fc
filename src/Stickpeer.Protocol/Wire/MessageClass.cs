// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Wire;

/// <summary>The first byte of every binary message.</summary>
public enum MessageClass : byte
{
    /// <summary>Control messages (resync request/finished/partial/confirm, heartbeat).</summary>
    Control = 0,

    /// <summary>Error messages; the sender closes right after.</summary>
    Error = 1,

    /// <summary>Stick-table messages (define, switch, updates, ack).</summary>
    StickTable = 10,

    /// <summary>Reserved; receiving it is a protocol error.</summary>
    Reserved = 255,
}
