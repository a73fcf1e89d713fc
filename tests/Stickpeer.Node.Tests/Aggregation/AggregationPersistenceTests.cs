// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Time.Testing;
using Stickpeer.Node.Persistence;
using Stickpeer.Protocol.Model;
using Stickpeer.TestKit;

namespace Stickpeer.Node.Tests.Aggregation;

/// <summary>With a data directory, each peer's contribution survives a restart: no drop to zero, no double count.</summary>
public sealed class AggregationPersistenceTests
{
    [Fact]
    public async Task Restart_KeepsContributions_AndAReteachAfterwardsDoesNotAddTwice()
    {
        await using var scope = new TestScope("stickpeer-agg-");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var options = new PersistenceOptions { DataDirectory = scope.Directory, Fsync = FsyncMode.Always };
        var h1 = new AggregationEngineTests.SenderState().Requests(0, 5, null);
        var h2 = new AggregationEngineTests.SenderState().Requests(0, 7, null);

        var first = new AggregationEngineTests.Harness(time, options);
        first.Send("h1", "k", h1 with { Tick = first.NowTick }, reference: null);
        first.Send("h2", "k", h2 with { Tick = first.NowTick }, reference: null);
        first.Source.EndReceiveBatch();
        Assert.Equal(12, first.Value("k", StickDataType.HttpReqCnt));
        await first.Built.Node.DisposeAsync();

        time.Advance(TimeSpan.FromSeconds(5));
        var second = new AggregationEngineTests.Harness(time, options);
        await using var node = second.Built.Node;
        Assert.Equal(2, second.Rule.Contributors);
        Assert.Equal(12, second.Value("k", StickDataType.HttpReqCnt));

        // h1 reconnects and teaches its table again: its contribution is replaced, not added.
        second.Send("h1", "k", h1 with { Tick = second.NowTick }, reference: null);
        second.Source.EndReceiveBatch();
        Assert.Equal(12, second.Value("k", StickDataType.HttpReqCnt));

        // h2's restored contribution still ends with the source expiry, counted from its arrival before the restart.
        time.Advance(TimeSpan.FromMilliseconds(AggregationEngineTests.SourceExpireMs - 5_000));
        second.Set.Sweep();
        Assert.Equal(5, second.Value("k", StickDataType.HttpReqCnt));
    }
}
