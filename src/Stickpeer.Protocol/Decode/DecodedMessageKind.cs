// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Decode;

/// <summary>What one decoded item of a session direction is.</summary>
public enum DecodedMessageKind
{
    /// <summary>The connector's three hello lines.</summary>
    Hello,

    /// <summary>The acceptor's status line.</summary>
    Status,

    /// <summary>A control message (class 0).</summary>
    Control,

    /// <summary>An error message (class 1).</summary>
    Error,

    /// <summary>A DEFINE (table definition).</summary>
    Define,

    /// <summary>A SWITCH (select a defined table).</summary>
    Switch,

    /// <summary>An ACK.</summary>
    Ack,

    /// <summary>One of the four update messages.</summary>
    Update,

    /// <summary>An update for no usable table (skipped, as HAProxy does).</summary>
    SkippedUpdate,

    /// <summary>A message of an unknown class or type (skipped).</summary>
    Unknown,
}
