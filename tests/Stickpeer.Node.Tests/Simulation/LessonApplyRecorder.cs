// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// Wraps a node's replica and records, per key (<c>/table|HEX</c>), the last instant an update
/// applied with a preserve mark replaced the entry: lesson data, or the teacher's re-push right
/// after a lesson (a superset of lesson values, so the oracle's relaxation errs on the lenient
/// side). The oracle relaxes a node's check of a key only when such an update of <em>that key</em>
/// was applied after the last write — not for every key after any lesson.
/// </summary>
internal sealed class LessonApplyRecorder(IReplicatedTable inner, Func<long> nowMs, Dictionary<string, long> applied) : DelegatingReplica(inner)
{
    public override RemoteApplyResult ApplyRemote(DecodedUpdate update, long? preserveLocalChangesAfter)
    {
        ArgumentNullException.ThrowIfNull(update);
        var result = Inner.ApplyRemote(update, preserveLocalChangesAfter);
        if (preserveLocalChangesAfter is not null && result == RemoteApplyResult.Applied)
        {
            applied[Inner.Schema.Name + "|" + Convert.ToHexString(update.Key)] = nowMs();
        }

        return result;
    }
}
