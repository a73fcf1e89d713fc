// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// Tests of the simulation harness itself: the checks must catch a broken node (an error in the
/// host's log, a lost update), and the trace must tell seeds apart.
/// </summary>
public sealed class HarnessSelfTests
{
    [Fact]
    public void Simulation_DifferentSeeds_DifferentTraces()
    {
        var a = new Simulation(SimScenario.FromSeed(1), PeerNodeSimulationTests.Factory).Run();
        var b = new Simulation(SimScenario.FromSeed(2), PeerNodeSimulationTests.Factory).Run();
        Assert.NotEqual(a.TraceHash, b.TraceHash);
        Assert.True(a.Events > 1000);
    }

    [Fact]
    public void Simulation_ReplicaThatThrows_IsReportedFromTheHostsErrorLog()
    {
        var r = new Simulation(
            SimScenario.FromSeed(3),
            ctx => new PeerSimNode(ctx, wrapReplica: t => ctx.Index == 0 ? new FaultyReplica(t, throwAt: 20, dropUpdates: false) : t)).Run();

        Assert.False(r.Passed);
        Assert.Contains(r.Violations, v => v.Contains("nodea: logged an error", StringComparison.Ordinal) && v.Contains("injected replica failure", StringComparison.Ordinal));
        Assert.Contains("STICKPEER_SIM_SEED=3", r.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Simulation_NodeThatDropsUpdates_IsCaughtByTheOracle()
    {
        var r = SimCampaign.Run(
            Enumerable.Range(1, 5),
            ctx => new PeerSimNode(ctx, wrapReplica: t => ctx.Index == 1 ? new FaultyReplica(t, throwAt: 0, dropUpdates: true) : t),
            faults: false,
            stopAfterFailures: 1);

        Assert.NotEmpty(r.Failures);
        Assert.Contains(r.Failures[0].Violations, v => v.Contains("node 1:", StringComparison.Ordinal) && v.Contains("expected", StringComparison.Ordinal));
    }
}
