// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Aggregation;

/// <summary>
/// A source table of aggregation rules as the node sees it. Learned updates still land in the
/// table (so <c>show table</c> shows the last value any peer sent) and also become the sending
/// peer's contribution in each rule. The table is never taught in a full resync: a restarted
/// HAProxy that learned another node's count into its own source table would add it to its own
/// (double count), and another aggregator would take the lesson as its own contribution.
/// </summary>
internal sealed class AggregateSourceReplica : IReplicatedTable
{
    private readonly IReplicatedTable _inner;
    private readonly (Aggregator Rule, int Source)[] _rules;

    public AggregateSourceReplica(IReplicatedTable inner, IEnumerable<(Aggregator Rule, int Source)> rules)
    {
        _inner = inner;
        _rules = [.. rules];
    }

    public TableSchema Schema => _inner.Schema;

    public uint NewestLocalUpdateId => _inner.NewestLocalUpdateId;

    public long LocalChangeMark => _inner.LocalChangeMark;

    public bool RestoredFromDisk => _inner.RestoredFromDisk;

    public bool TryReadLocalChange(uint afterId, DecodedUpdate into) => _inner.TryReadLocalChange(afterId, into);

    public ITableTeachCursor StartTeach() => EmptyCursor.Instance;

    public RemoteApplyResult ApplyRemote(DecodedUpdate update, long? preserveLocalChangesAfter) =>
        _inner.ApplyRemote(update, preserveLocalChangesAfter);

    public RemoteApplyResult ApplyRemoteFrom(string peer, DecodedUpdate update, long? preserveLocalChangesAfter)
    {
        // The contribution does not depend on the lesson rules of the source table: a peer's value
        // is its own, whatever this node wrote locally to the source table.
        foreach (var (rule, source) in _rules)
        {
            rule.Contribute(source, peer, update);
        }

        return _inner.ApplyRemote(update, preserveLocalChangesAfter);
    }

    public void BeginReceiveBatch() => _inner.BeginReceiveBatch();

    public void EndReceiveBatch()
    {
        _inner.EndReceiveBatch();
        foreach (var (rule, _) in _rules)
        {
            rule.Flush();
        }
    }

    private sealed class EmptyCursor : ITableTeachCursor
    {
        public static readonly EmptyCursor Instance = new();

        public bool TryReadNext(DecodedUpdate into) => false;
    }
}
