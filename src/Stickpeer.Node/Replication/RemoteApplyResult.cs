// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Replication;

/// <summary>What a table did with an update received from a peer.</summary>
public enum RemoteApplyResult
{
    /// <summary>Stored.</summary>
    Applied,

    /// <summary>Not stored: the key changed locally after the lesson started; the local value wins and will be pushed.</summary>
    KeptLocalNewer,

    /// <summary>Not stored: the key or key type does not fit the table.</summary>
    Rejected,

    /// <summary>Not stored (e.g. a full <c>nopurge</c> table); still acknowledged, as HAProxy does.</summary>
    Dropped,
}
