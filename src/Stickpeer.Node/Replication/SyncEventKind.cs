// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Replication;

/// <summary>Events posted to the <see cref="SyncCoordinator"/>.</summary>
public enum SyncEventKind
{
    /// <summary>A session became established (handshake done).</summary>
    SessionEstablished,

    /// <summary>A session ended, in any state.</summary>
    SessionEnded,

    /// <summary>A lesson end marker <c>00 01</c> was fully received.</summary>
    LessonFinished,

    /// <summary>A lesson end marker <c>00 02</c> was fully received.</summary>
    LessonPartial,

    /// <summary>The peer asked us for a lesson (<c>00 00</c>).</summary>
    TeachStarted,

    /// <summary>The peer confirmed our lesson (<c>00 03</c>).</summary>
    TeachConfirmed,
}
