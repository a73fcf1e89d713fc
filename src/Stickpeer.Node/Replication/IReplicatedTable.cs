// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Replication;

/// <summary>
/// What the node core needs from one stick table shared in a peers section. The table
/// engine (Stickpeer.Tables) is adapted to it; tests use an in-memory fake. Called only
/// from the thread that drives the <see cref="PeerNode"/>.
/// </summary>
public interface IReplicatedTable
{
    /// <summary>Our schema (what we announce in DEFINE; <see cref="DecodedUpdate"/> buffers passed to the read methods use it).</summary>
    TableSchema Schema { get; }

    /// <summary>The newest update id given to a local change (0 when none yet). Ids wrap modulo 2^32.</summary>
    uint NewestLocalUpdateId { get; }

    /// <summary>
    /// Reads the first local change whose id lies in the circular window
    /// (<paramref name="afterId"/>, <see cref="NewestLocalUpdateId"/>], in id order: key,
    /// current values, <see cref="DecodedUpdate.UpdateId"/> and remaining lifetime in
    /// <see cref="DecodedUpdate.ExpireMs"/>. False when there is none. Learned entries are never returned.
    /// </summary>
    bool TryReadLocalChange(uint afterId, DecodedUpdate into);

    /// <summary>
    /// A mark of "now" in the sequence of local changes (64-bit, never wraps). It advances by
    /// exactly one per local change, in step with <see cref="NewestLocalUpdateId"/> (the node maps
    /// an acknowledged update id to a mark by their difference). The node takes it when it starts
    /// and passes marks to <see cref="ApplyRemote"/> for updates from the session it learns from.
    /// </summary>
    long LocalChangeMark { get; }

    /// <summary>Starts walking every entry (learned ones included) for a full resync lesson.</summary>
    ITableTeachCursor StartTeach();

    /// <summary>
    /// Applies an update received from a peer (values in the sender's schema); the entry becomes
    /// learned (never pushed in normal operation). When <paramref name="preserveLocalChangesAfter"/>
    /// is set (a lesson that started at that mark), an entry whose last local change is newer
    /// than the mark keeps its value and stays in the push window (<see cref="RemoteApplyResult.KeptLocalNewer"/>).
    /// </summary>
    RemoteApplyResult ApplyRemote(DecodedUpdate update, long? preserveLocalChangesAfter);

    /// <summary>
    /// <see cref="ApplyRemote"/> for an update received from the peer named <paramref name="peer"/>;
    /// the node calls this one. Aggregation source tables (docs/aggregation.md) keep each peer's
    /// values apart; every other table ignores the name.
    /// </summary>
    RemoteApplyResult ApplyRemoteFrom(string peer, DecodedUpdate update, long? preserveLocalChangesAfter) =>
        ApplyRemote(update, preserveLocalChangesAfter);

    /// <summary>
    /// <see cref="ApplyRemoteFrom"/> for each of <paramref name="updates"/> in order (consecutive
    /// updates of one received buffer), results in <paramref name="results"/>. The default applies
    /// them one by one; a table that can apply a run more cheaply (hashing it first) overrides it.
    /// </summary>
    void ApplyRemoteRunFrom(string peer, ReadOnlySpan<DecodedUpdate> updates, long? preserveLocalChangesAfter, Span<RemoteApplyResult> results)
    {
        for (var i = 0; i < updates.Length; i++)
        {
            results[i] = ApplyRemoteFrom(peer, updates[i], preserveLocalChangesAfter);
        }
    }

    /// <summary>
    /// True when the table was loaded from a data directory at start-up: the node then ends the
    /// lessons it teaches with "resync finished" (it holds what it had when it stopped), so
    /// peers that restarted empty, HAProxy included, accept it as their teacher.
    /// </summary>
    bool RestoredFromDisk => false;

    /// <summary>
    /// A batch of received bytes is about to be processed (one <see cref="PeerNode.Receive"/>): until
    /// <see cref="EndReceiveBatch"/> the table may apply every update at one clock reading.
    /// </summary>
    void BeginReceiveBatch()
    {
    }

    /// <summary>The batch started by <see cref="BeginReceiveBatch"/> is over.</summary>
    void EndReceiveBatch()
    {
    }
}
