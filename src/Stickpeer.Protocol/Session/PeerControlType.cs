// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Session;

/// <summary>Control messages (class 0), numbered as on the wire.</summary>
public enum PeerControlType : byte
{
    /// <summary><c>00 00</c>: please teach me everything.</summary>
    ResyncRequest = 0,

    /// <summary><c>00 01</c>: lesson complete, the teacher is up to date.</summary>
    ResyncFinished = 1,

    /// <summary><c>00 02</c>: lesson complete, the teacher is not known to be up to date.</summary>
    ResyncPartial = 2,

    /// <summary><c>00 03</c>: acknowledges <c>00 01</c>/<c>00 02</c>.</summary>
    ResyncConfirm = 3,

    /// <summary><c>00 04</c>: keep-alive.</summary>
    Heartbeat = 4,
}
