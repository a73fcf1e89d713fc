// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Replication;

/// <summary>Resync state of a peers section (HAProxy <c>PEERS_F_RESYNC_*</c>; reload hand-over via the local peer is not supported, so there is no FROMLOCAL).</summary>
public enum SyncState
{
    /// <summary>Trying to learn the tables from a remote peer.</summary>
    FromRemote,

    /// <summary>Considers itself up to date: lessons we teach end with <c>00 01</c>.</summary>
    Finished,
}
