// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// A broken replica for the harness's self-tests: it throws at its <c>throwAt</c>-th remote update
/// (0: never), or silently drops every remote update (reports it applied, stores nothing).
/// </summary>
internal sealed class FaultyReplica(IReplicatedTable inner, int throwAt, bool dropUpdates) : IReplicatedTable
{
    private int _applies;

    public TableSchema Schema => inner.Schema;

    public uint NewestLocalUpdateId => inner.NewestLocalUpdateId;

    public long LocalChangeMark => inner.LocalChangeMark;

    public bool TryReadLocalChange(uint afterId, DecodedUpdate into) => inner.TryReadLocalChange(afterId, into);

    public ITableTeachCursor StartTeach() => inner.StartTeach();

    public void BeginReceiveBatch() => inner.BeginReceiveBatch();

    public void EndReceiveBatch() => inner.EndReceiveBatch();

    public RemoteApplyResult ApplyRemote(DecodedUpdate update, long? preserveLocalChangesAfter)
    {
        if (++_applies == throwAt)
        {
            throw new InvalidOperationException("injected replica failure");
        }

        return dropUpdates ? RemoteApplyResult.Applied : inner.ApplyRemote(update, preserveLocalChangesAfter);
    }
}
