// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>Tests of the simulation harness itself, driven with <see cref="ToyNode"/>.</summary>
public sealed class ToyNodeSimulationTests
{
    private static readonly Func<SimNodeContext, ISimNode> s_toy = ctx => new ToyNode(ctx);

    [Fact]
    public void Simulation_ToyNodesUnderFaults_Converge()
    {
        var r = SimCampaign.Run(Enumerable.Range(1, 60), s_toy);
        TestContext.Current.TestOutputHelper?.WriteLine(SimCampaign.Summary("toy", r));
        Assert.True(r.Failures.Count == 0, SimCampaign.Summary("toy", r));
        Assert.True(r.StrictChecks > r.WeakChecks, "most value checks should be exact");
    }

    [Fact]
    public void Simulation_SameSeedTwice_SameTraceHash()
    {
        for (var seed = 1; seed <= 5; seed++)
        {
            var a = new Simulation(SimScenario.FromSeed(seed), s_toy).Run();
            var b = new Simulation(SimScenario.FromSeed(seed), s_toy).Run();
            Assert.Equal(a.TraceHash, b.TraceHash);
            Assert.Equal(a.Events, b.Events);
            Assert.True(a.Events > 1000);
        }
    }

    [Fact]
    public void Simulation_DifferentSeeds_DifferentTraces()
    {
        var a = new Simulation(SimScenario.FromSeed(1), s_toy).Run();
        var b = new Simulation(SimScenario.FromSeed(2), s_toy).Run();
        Assert.NotEqual(a.TraceHash, b.TraceHash);
    }

    [Fact]
    public void Simulation_NodeThatLosesPushes_IsCaught()
    {
        var r = SimCampaign.Run(Enumerable.Range(1, 20), ctx => new ToyNode(ctx, losePushes: true), faults: false, stopAfterFailures: 1);
        Assert.NotEmpty(r.Failures);
        Assert.Contains(r.Failures[0].Violations, v => v.Contains("expected", StringComparison.Ordinal));
    }

    [Fact]
    public void Simulation_NodeThatThrows_ReportsUnhandledException()
    {
        var r = new Simulation(SimScenario.FromSeed(3), ctx => new ThrowingNode(new ToyNode(ctx))).Run();
        Assert.False(r.Passed);
        Assert.Contains(r.Violations, v => v.Contains("unhandled exception", StringComparison.Ordinal));
        Assert.Contains("STICKPEER_SIM_SEED=3", r.Describe(), StringComparison.Ordinal);
    }

    private sealed class ThrowingNode(ToyNode inner) : ISimNode
    {
        private int _receives;

        public string Name => inner.Name;

        public bool SpeaksPeersProtocol => false;

        public int Accept() => inner.Accept();

        public void Connected(int connection) => inner.Connected(connection);

        public void Receive(int connection, System.Buffers.ReadOnlySequence<byte> data, out SequencePosition consumed, out SequencePosition examined)
        {
            if (++_receives == 50)
            {
                throw new InvalidOperationException("injected");
            }

            inner.Receive(connection, data, out consumed, out examined);
        }

        public void Closed(int connection, SimCloseReason reason) => inner.Closed(connection, reason);

        public void Tick() => inner.Tick();

        public bool TryDequeueAction(out SimNodeAction action) => inner.TryDequeueAction(out action);

        public int DrainOutput(int connection, System.Buffers.IBufferWriter<byte> destination, int maxBytes) => inner.DrainOutput(connection, destination, maxBytes);

        public void Apply(SimWrite write) => inner.Apply(write);

        public string? ReadEntry(string table, ReadOnlySpan<byte> key) => inner.ReadEntry(table, key);

        public IReadOnlyDictionary<string, string> Snapshot() => inner.Snapshot();

        public IEnumerable<SimSessionInfo> Sessions() => inner.Sessions();

        public IReadOnlyList<string> TakeProblems() => inner.TakeProblems();

        public IEnumerable<string> EndOfRunProblems() => inner.EndOfRunProblems();

        public void Dispose() => inner.Dispose();
    }
}
