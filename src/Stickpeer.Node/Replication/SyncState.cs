// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Replication;

/// <summary>Resync state of a peers section (HAProxy <c>PEERS_F_RESYNC_*</c>).</summary>
public enum SyncState
{
    /// <summary>Trying to learn the tables from a remote peer.</summary>
    FromRemote,

    /// <summary>Considers itself up to date: lessons we teach end with <c>00 01</c>.</summary>
    Finished,

    /// <summary>
    /// Started by a reload (<c>-sf</c>): waiting for the old process to connect as the local peer and
    /// teach its tables (before any remote peer is asked), for at most the resync window.
    /// </summary>
    FromLocal,
}
