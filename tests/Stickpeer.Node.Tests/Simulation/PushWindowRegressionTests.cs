// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// Found by the simulation (seed 146 with counters starting near 2^32; fixed in PeerNode by
/// commit "a never-acknowledged peer's push window covers the whole id half-space"): a node whose table
/// update counter wraps before it ever talks to a peer never pushes the changes filed before
/// the wrap to that peer. Minimal form: node a files five local changes with ids
/// 2^32−2 … 2 (the counter wraps), then meets node b for the first time; no lesson is
/// taught (both start FINISHED, as after an expired resync window), so only pushes deliver.
/// </summary>
public sealed class PushWindowRegressionTests
{
    [Fact]
    public void FreshPeer_CounterWrappedBeforeFirstSession_ReceivesEveryLocalChange() => Check(uint.MaxValue - 2, 5);

    [Fact]
    public void FreshPeer_NewestLocalIdIsZero_ReceivesEveryLocalChange() => Check(uint.MaxValue - 3, 4);

    [Fact]
    public void FreshPeer_CounterFromZero_ReceivesEveryLocalChange() => Check(0, 5);

    private static void Check(uint firstId, int writes)
    {
        var table = SimWorkload.Tables.First(t => t.KeyType == StickKeyType.IPv4);
        IReadOnlyDictionary<string, string>? received = null;
        var expected = new List<string>();
        var sim = new Simulation(
            SimScenario.Quiet(seed: 5, nodes: 2, endMs: 10_000),
            ctx =>
            {
                // No start-up lesson (as when the resync window expired before the peers met): only pushes can deliver.
                var node = new PeerSimNode(ctx, configure: o => o with { LearnOnStartup = false }, firstUpdateId: ctx.Index == 0 ? firstId : 0);
                if (ctx.Index == 0)
                {
                    for (var i = 0; i < writes; i++)
                    {
                        var w = new SimWrite(table.Name, SimWorkload.Key(table, i), SimWriteKind.SetNumber, StickDataType.Gpt0, 0, (ulong)(100 + i), null);
                        node.Apply(w);
                        expected.Add(w.KeyId);
                    }
                }

                return node;
            },
            finalChecks: false)
        {
            AfterRun = s => received = s.Hosts[1].Node!.Snapshot(),
        };

        var result = sim.Run();

        Assert.True(result.Passed, result.Describe());
        Assert.NotNull(received);
        Assert.All(expected, k => Assert.True(received.ContainsKey(k), $"node b never received {k} (node a's counter started at {firstId})"));
    }
}
