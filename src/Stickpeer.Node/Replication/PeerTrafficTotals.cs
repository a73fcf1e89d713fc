// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Session;

namespace Stickpeer.Node.Replication;

/// <summary>What went through a peer's sessions since the node started: every ended session plus the current one.</summary>
/// <param name="BytesIn">Bytes received (after TLS).</param>
/// <param name="BytesOut">Bytes written to the transport (before TLS).</param>
/// <param name="MessagesIn">Complete messages received after the handshake.</param>
/// <param name="MessagesOut">Messages queued for the peer after the handshake.</param>
/// <param name="UpdatesIn">Updates received for an accepted table.</param>
/// <param name="UpdatesOut">Updates sent.</param>
/// <param name="HeartbeatsIn">Heartbeats received.</param>
/// <param name="HeartbeatsOut">Heartbeats sent.</param>
public sealed record PeerTrafficTotals(long BytesIn, long BytesOut, long MessagesIn, long MessagesOut, long UpdatesIn, long UpdatesOut, long HeartbeatsIn, long HeartbeatsOut)
{
    /// <summary>Nothing yet.</summary>
    public static PeerTrafficTotals Zero { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>These totals plus one session's counters.</summary>
    public PeerTrafficTotals Add(PeerSessionCounters? session, long bytesOut) => session is null && bytesOut == 0 ? this : new(
        BytesIn + (session?.BytesReceived ?? 0),
        BytesOut + bytesOut,
        MessagesIn + (session?.MessagesReceived ?? 0),
        MessagesOut + (session?.MessagesSent ?? 0),
        UpdatesIn + (session?.UpdatesReceived ?? 0),
        UpdatesOut + (session?.UpdatesSent ?? 0),
        HeartbeatsIn + (session?.HeartbeatsReceived ?? 0),
        HeartbeatsOut + (session?.HeartbeatsSent ?? 0));
}
