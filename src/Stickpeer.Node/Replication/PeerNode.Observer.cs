// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Replication;

/// <content>Test diagnostics (the simulation's per-key trace); both hooks are null in production.</content>
public sealed partial class PeerNode
{
    /// <summary>
    /// Called for every update received (before and after applying it), pushed and taught: the
    /// connection, the local table index, the update and what happened. Diagnostics only.
    /// </summary>
    internal Action<ConnectionId, int, DecodedUpdate, string>? UpdateObserver { get; set; }

    /// <summary>Called for session events of the replication layer (established, lesson, ACKs, end). Diagnostics only.</summary>
    internal Action<ConnectionId, string>? EventObserver { get; set; }

    /// <summary>The local-change position an acknowledged id stands for (the mark the lesson rule compares with).</summary>
    private long AckedMark(NodeConnection conn, int t) =>
        _tables[t].LocalChangeMark - unchecked(_tables[t].NewestLocalUpdateId - conn.AckedInSession[t]);
}
