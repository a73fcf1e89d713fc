// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// A broken replica for the harness's self-tests: it throws at its <c>throwAt</c>-th remote update
/// (0: never), or silently drops every remote update (reports it applied, stores nothing).
/// </summary>
internal sealed class FaultyReplica(IReplicatedTable inner, int throwAt, bool dropUpdates) : DelegatingReplica(inner)
{
    private int _applies;

    public override RemoteApplyResult ApplyRemote(DecodedUpdate update, long? preserveLocalChangesAfter)
    {
        if (++_applies == throwAt)
        {
            throw new InvalidOperationException("injected replica failure");
        }

        return dropUpdates ? RemoteApplyResult.Applied : Inner.ApplyRemote(update, preserveLocalChangesAfter);
    }
}
