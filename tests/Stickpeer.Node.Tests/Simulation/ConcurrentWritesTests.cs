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
        var table = SimWorkload.Tables.First(t => t.KeyType == StickKeyType.IPv4);
        var key = SimWorkload.Key(table, 1);
        IReadOnlyDictionary<string, string>? a = null, b = null;
        var sim = new Simulation(SimScenario.Quiet(seed: 11, nodes: 2, endMs: 14_000), PeerNodeSimulationTests.Factory, finalChecks: false);
        sim.AfterRun = s => (a, b) = (s.Hosts[0].Node!.Snapshot(), s.Hosts[1].Node!.Snapshot());
        // Both nodes are connected and past their start-up lessons at 10 s; they write the same key at the same instant.
        sim.Scheduler.At(10_000, () => sim.Call(sim.Hosts[0], "Apply", n => n.Apply(new SimWrite(table.Name, key, SimWriteKind.SetNumber, StickDataType.Gpt0, 0, 111, null))));
        sim.Scheduler.At(10_000, () => sim.Call(sim.Hosts[1], "Apply", n => n.Apply(new SimWrite(table.Name, key, SimWriteKind.SetNumber, StickDataType.Gpt0, 0, 222, null))));

        var result = sim.Run();

        Assert.True(result.Passed, result.Describe());
        var id = table.Name + "|" + Convert.ToHexString(key);
        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.Contains("gpt0=222 ", a[id] + " ", StringComparison.Ordinal); // a applied b's message last
        Assert.Contains("gpt0=111 ", b[id] + " ", StringComparison.Ordinal); // b applied a's message last
    }

    [Fact]
    public void ConcurrentWrites_SpacedBeyondPropagation_Converge()
    {
        var table = SimWorkload.Tables.First(t => t.KeyType == StickKeyType.IPv4);
        var key = SimWorkload.Key(table, 1);
        IReadOnlyDictionary<string, string>? a = null, b = null;
        var sim = new Simulation(SimScenario.Quiet(seed: 11, nodes: 2, endMs: 14_000), PeerNodeSimulationTests.Factory, finalChecks: false);
        sim.AfterRun = s => (a, b) = (s.Hosts[0].Node!.Snapshot(), s.Hosts[1].Node!.Snapshot());
        sim.Scheduler.At(10_000, () => sim.Call(sim.Hosts[0], "Apply", n => n.Apply(new SimWrite(table.Name, key, SimWriteKind.SetNumber, StickDataType.Gpt0, 0, 111, null))));
        sim.Scheduler.At(11_000, () => sim.Call(sim.Hosts[1], "Apply", n => n.Apply(new SimWrite(table.Name, key, SimWriteKind.SetNumber, StickDataType.Gpt0, 0, 222, null))));

        var result = sim.Run();

        Assert.True(result.Passed, result.Describe());
        var id = table.Name + "|" + Convert.ToHexString(key);
        Assert.Equal(a![id], b![id]);
        Assert.Contains("gpt0=222 ", a[id] + " ", StringComparison.Ordinal);
    }

    [Fact]
    public void Simulation_AnyNodeWritesAnyKey_EveryHeldValueWasWrittenBySomeone()
    {
        PeerNodeSimulationTests.RequireUpdatesOnWire();
        var r = SimCampaign.Run(Enumerable.Range(1, 40), PeerNodeSimulationTests.Factory, mode: SimWriteMode.AnyWriter);
        Assert.True(r.Failures.Count == 0, SimCampaign.Summary("any writer", r));
    }
}
