// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Replication;

/// <summary>One event for the <see cref="SyncCoordinator"/>, tagged with the session it belongs to.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Session">The session (peer and generation).</param>
public readonly record struct SyncEvent(SyncEventKind Kind, SessionRef Session);
