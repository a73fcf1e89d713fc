// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Replication;
using Stickpeer.Node.Transport;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.TestKit.Transport;

namespace Stickpeer.Node.Tests.Transport;

/// <summary>
/// <c>fsync always</c>: a node's output, its ACKs above all, waits for the host's
/// <see cref="IOutputGate"/> (persistence syncing the changes the ACK confirms). Here the gate is
/// held by hand: the learner applies the update but its ACK leaves only once the gate opens.
/// </summary>
public sealed class OutputGateTests
{
    private const string Config = InMemoryConfigs.TwoPeersStringTable;

    [Fact]
    public async Task HeldGate_LearnerAppliesUpdate_AckLeavesOnlyWhenGateOpens()
    {
        var network = new InMemoryPeerTransport();
        var tables = new Dictionary<string, StickTable>(StringComparer.Ordinal);
        await using var a = TestNode.Start("a", Config, network, d => Keep(tables, "a", d));
        await using var b = TestNode.Start("b", Config, network, d => Keep(tables, "b", d));
        await a.WaitEstablishedAsync("b", TimeSpan.FromSeconds(30));
        await b.WaitEstablishedAsync("a", TimeSpan.FromSeconds(30));

        // Both start-up lessons over first: a node pushes nothing to the peer it still learns from,
        // and b's end-of-lesson message held behind the gate would keep a learning forever.
        await WaitUntilAsync(() => a.Peer("b") is { Learning: false, Teaching: false } && b.Peer("a") is { Learning: false, Teaching: false }, "the start-up lessons never ended");
        var gate = new HeldGate();
        b.Node.Host.OutputGate = gate;
        var key = Encoding.ASCII.GetBytes("k");

        a.Node.Host.Invoke(() => tables["a"].Increment(key, StickDataType.Gpc0, 0, 5));
        await WaitUntilAsync(() => b.Node.Host.Invoke(() => tables["b"].TryGetValue(key, StickDataType.Gpc0, 0, out var v) && v == 5), "b never applied the update");

        // Applied on b, but b's ACK waits behind the gate (an ungated ACK arrives within milliseconds).
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(0u, a.Peer("b").Tables[0].Acked);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        gate.Open();
        await WaitUntilAsync(() => a.Peer("b").Tables[0].Acked == a.Peer("b").Tables[0].LocalId && a.Peer("b").Tables[0].Acked > 0, "the ACK never came after the gate opened");
    }

    private static StickTableReplica Keep(Dictionary<string, StickTable> tables, string node, TableDefinition d)
    {
        var table = StickTable.Create(d.Declaration, d.LocalName, d.WireName);
        tables[node] = table;
        return new StickTableReplica(table);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        for (var i = 0; i < 600; i++)
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Fail(failure);
    }

    /// <summary>Every output written from now on waits until <see cref="Open"/>.</summary>
    private sealed class HeldGate : IOutputGate
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long Position => 1;

        public void Open() => _open.TrySetResult();

        public async ValueTask WaitAsync(long position, CancellationToken cancellationToken) => await _open.Task.WaitAsync(cancellationToken);
    }
}
