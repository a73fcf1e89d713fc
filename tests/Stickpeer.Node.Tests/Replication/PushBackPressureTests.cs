// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.TestKit.Replication;

namespace Stickpeer.Node.Tests.Replication;

/// <summary>
/// Regression for simulation seed 108597: a peer that reads very slowly (1 byte per 8 ms)
/// while the writer rewrites the same few keys. The writer serialised every intermediate
/// value into an output queue bounded only at 256 KiB, so the newest values sat behind a
/// backlog of stale ones and did not arrive before the end of the run. With a small
/// pending-output bound the push cursor waits and rewritten keys are sent once, newest value.
/// </summary>
public sealed class PushBackPressureTests
{
    [Fact]
    public void Push_SlowReaderAndRewrittenKeys_QueuesCoalescedNewestValues()
    {
        var net = new InMemoryPeerNetwork();
        var a = InMemoryReplicatedTable.CreateStringGpc0();
        var b = InMemoryReplicatedTable.CreateStringGpc0();
        net.AddNode("a", ["b"], [a]);
        net.AddNode("b", ["a"], [b]);
        net.Advance(TimeSpan.FromSeconds(5));
        var sentBefore = net["a"].GetSnapshot().Peers[0].SessionCounters!.UpdatesSent;

        // b stops reading: a's output stays queued in a while a rewrites three keys many times.
        net.Hold("a");
        const int Writes = 300;
        for (var i = 1; i <= Writes; i++)
        {
            a.SetLocal("k" + (i % 3), (ulong)i);
            net["a"].Flush();
            net.Pump();
        }

        Assert.Null(b.GetGpc0("k0"));
        net.Release("a");
        net.Pump();

        Assert.Equal((ulong)Writes, b.GetGpc0("k0"));
        Assert.Equal((ulong)(Writes - 2), b.GetGpc0("k1"));
        Assert.Equal((ulong)(Writes - 1), b.GetGpc0("k2"));
        var sent = net["a"].GetSnapshot().Peers[0].SessionCounters!.UpdatesSent - sentBefore;
        Assert.True(sent < Writes / 2, $"{sent} updates queued for {Writes} writes of 3 keys: stale values were queued behind the slow reader");
    }
}
