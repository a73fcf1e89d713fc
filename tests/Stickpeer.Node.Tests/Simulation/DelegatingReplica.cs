// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>A replica that passes everything to <paramref name="inner"/>; the simulation's wrappers override what they watch or break.</summary>
internal abstract class DelegatingReplica(IReplicatedTable inner) : IReplicatedTable
{
    protected IReplicatedTable Inner => inner;

    public TableSchema Schema => inner.Schema;

    public uint NewestLocalUpdateId => inner.NewestLocalUpdateId;

    public long LocalChangeMark => inner.LocalChangeMark;

    public bool TryReadLocalChange(uint afterId, DecodedUpdate into) => inner.TryReadLocalChange(afterId, into);

    public ITableTeachCursor StartTeach() => inner.StartTeach();

    public void BeginReceiveBatch() => inner.BeginReceiveBatch();

    public void EndReceiveBatch() => inner.EndReceiveBatch();

    public virtual RemoteApplyResult ApplyRemote(DecodedUpdate update, long? preserveLocalChangesAfter) => inner.ApplyRemote(update, preserveLocalChangesAfter);
}
