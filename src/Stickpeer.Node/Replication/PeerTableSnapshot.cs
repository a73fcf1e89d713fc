// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Replication;

/// <summary>Replication position of one table towards one peer.</summary>
/// <param name="Table">The table's network name.</param>
/// <param name="LocalId">The id we announce for it in DEFINE.</param>
/// <param name="Acked">Last update id the peer acknowledged (kept across sessions).</param>
/// <param name="LastPushed">Last update id pushed in the current session (= <paramref name="Acked"/> when none).</param>
/// <param name="TeachOrigin">Origin of the current lesson we teach (0 when not teaching).</param>
public sealed record PeerTableSnapshot(string Table, uint LocalId, uint Acked, uint LastPushed, uint TeachOrigin)
{
    /// <summary>The peer's id for the table (its DEFINE in the current session; 0 when none).</summary>
    public uint RemoteId { get; init; }

    /// <summary>The id of the last update received for the table in the current session.</summary>
    public uint LastGet { get; init; }

    /// <summary>
    /// Updates pushed in the current session and not acknowledged yet, counted from the first push
    /// still outstanding (not <c>LastPushed − Acked</c>, which reads 2^31 for a fresh peer).
    /// </summary>
    public uint AckLag { get; init; }
}
