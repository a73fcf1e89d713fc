// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// Concurrent writes to one key. The protocol carries no versions: every update is the
/// sender's whole entry and the receiver overwrites ("last message applied wins", per node),
/// exactly as in HAProxy. Two nodes writing one key within the propagation window can
/// therefore end with different values. These tests pin that behaviour down; see
/// docs/simulation.md ("Concurrent writes").
/// </summary>
public sealed class ConcurrentWritesTests
{
    [Fact]
    public void ConcurrentWrites_SameKeySameInstant_EachNodeKeepsTheOthersValue()
    {
        // Both nodes are connected and past their start-up lessons at 10 s; they write the same key at the same instant.
        var (a, b) = WriteSameKeyOnBothNodes(firstAtMs: 10_000, secondAtMs: 10_000);

        Assert.Contains("gpt0=222 ", a + " ", StringComparison.Ordinal); // a applied b's message last
        Assert.Contains("gpt0=111 ", b + " ", StringComparison.Ordinal); // b applied a's message last
    }

    [Fact]
    public void ConcurrentWrites_SpacedBeyondPropagation_Converge()
    {
        var (a, b) = WriteSameKeyOnBothNodes(firstAtMs: 10_000, secondAtMs: 11_000);

        Assert.Equal(a, b);
        Assert.Contains("gpt0=222 ", a + " ", StringComparison.Ordinal);
    }

    /// <summary>Node 0 writes gpt0=111 and node 1 gpt0=222 to one key; returns each node's final view of it.</summary>
    private static (string A, string B) WriteSameKeyOnBothNodes(long firstAtMs, long secondAtMs)
    {
        var table = SimWorkload.Tables.First(t => t.KeyType == StickKeyType.IPv4);
        var key = SimWorkload.Key(table, 1);
        IReadOnlyDictionary<string, string>? a = null, b = null;
        var sim = new Simulation(SimScenario.Quiet(seed: 11, nodes: 2, endMs: 14_000), PeerNodeSimulationTests.Factory, finalChecks: false);
        sim.AfterRun = s => (a, b) = (s.Hosts[0].Node!.Snapshot(), s.Hosts[1].Node!.Snapshot());
        sim.Scheduler.At(firstAtMs, () => sim.Call(sim.Hosts[0], "Apply", n => n.Apply(new SimWrite(table.Name, key, SimWriteKind.SetNumber, StickDataType.Gpt0, 0, 111, null))));
        sim.Scheduler.At(secondAtMs, () => sim.Call(sim.Hosts[1], "Apply", n => n.Apply(new SimWrite(table.Name, key, SimWriteKind.SetNumber, StickDataType.Gpt0, 0, 222, null))));

        var result = sim.Run();

        Assert.True(result.Passed, result.Describe());
        Assert.NotNull(a);
        Assert.NotNull(b);
        var id = table.Name + "|" + Convert.ToHexString(key);
        return (a[id], b[id]);
    }

    [Fact]
    public void Simulation_AnyNodeWritesAnyKey_EveryHeldValueWasWrittenBySomeone()
    {
        PeerNodeSimulationTests.RequireUpdatesOnWire();
        var r = SimCampaign.Run(Enumerable.Range(1, 40), PeerNodeSimulationTests.Factory, mode: SimWriteMode.AnyWriter);
        Assert.True(r.Failures.Count == 0, SimCampaign.Summary("any writer", r));
    }
}
