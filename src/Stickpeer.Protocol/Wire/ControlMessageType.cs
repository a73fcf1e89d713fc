// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Wire;

/// <summary>Types of <see cref="MessageClass.Control"/> messages (2 bytes, no payload).</summary>
public enum ControlMessageType : byte
{
    /// <summary><c>00 00</c>: please teach me your tables (full resync request).</summary>
    ResyncRequest = 0,

    /// <summary><c>00 01</c>: lesson complete, the teacher is up to date.</summary>
    ResyncFinished = 1,

    /// <summary><c>00 02</c>: lesson complete, the teacher is not known to be up to date.</summary>
    ResyncPartial = 2,

    /// <summary><c>00 03</c>: acknowledges <see cref="ResyncFinished"/> or <see cref="ResyncPartial"/>.</summary>
    ResyncConfirm = 3,

    /// <summary><c>00 04</c>: heartbeat.</summary>
    Heartbeat = 4,
}
