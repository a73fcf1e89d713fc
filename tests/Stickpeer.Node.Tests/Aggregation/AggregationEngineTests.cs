// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Node.Composition;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Persistence;
using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Node.Tests.Aggregation;

/// <summary>
/// The aggregation engine against <see cref="AggregationReference"/>: random workloads from a seed
/// (requests on four peers, re-teaches after a reconnect, restarted peers, time passing past the
/// source expiry), with every output value checked after every batch.
/// </summary>
public sealed class AggregationEngineTests
{
    internal const uint SourceExpireMs = 20_000;
    internal const uint PeriodMs = 10_000;
    internal static readonly string[] Peers = ["h1", "h2", "h3", "h4"];

    internal const string Config = """
        peers agg
            peer agg 127.0.0.1:1
            peer h1 127.0.0.1:2
            peer h2 127.0.0.1:3
            peer h3 127.0.0.1:4
            peer h4 127.0.0.1:5
            table local type string len 32 size 10k expire 20s store gpc0,http_req_cnt,http_req_rate(10s),gpt0,server_id,conn_cur
            table global type string len 32 size 10k expire 1h store gpc0,http_req_cnt,http_req_rate(10s),gpt0,server_id
            #@stickpeer aggregate global from local
        """;

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomWorkload_OutputEqualsReference_AfterEveryBatch(int seed)
    {
        var h = new Harness();
        var random = new Random(seed);
        var senders = Peers.ToDictionary(p => p, _ => new Dictionary<string, SenderState>(), StringComparer.Ordinal);
        var reference = new AggregationReference(SourceExpireMs, PeriodMs, Peers);
        var published = new Dictionary<string, (uint Tick, uint Current, uint Previous, int Contributors)>(StringComparer.Ordinal);
        for (var step = 0; step < 250; step++)
        {
            var touched = new HashSet<string>(StringComparer.Ordinal);
            var roll = random.Next(100);
            if (roll < 25)
            {
                h.Time.Advance(TimeSpan.FromMilliseconds(random.Next(1, 6000)));
                h.Set.Sweep();
            }
            else if (roll < 32)
            {
                senders[Peers[random.Next(Peers.Length)]].Clear(); // an HAProxy restarted: empty, silent until traffic
            }
            else
            {
                // One receive batch: a few sends, or a whole re-teach of one peer (after a reconnect).
                var reteach = roll < 42;
                var sends = reteach ? 1 : random.Next(1, 4);
                for (var i = 0; i < sends; i++)
                {
                    var peer = Peers[random.Next(Peers.Length)];
                    if (reteach)
                    {
                        foreach (var (key, state) in senders[peer])
                        {
                            h.Send(peer, key, state, reference);
                            touched.Add(key);
                        }
                    }
                    else
                    {
                        var key = "k" + random.Next(6);
                        var state = senders[peer].TryGetValue(key, out var s) ? s : new SenderState();
                        state = state.Requests(h.NowTick, (uint)random.Next(1, 6), random);
                        senders[peer][key] = state;
                        h.Send(peer, key, state, reference);
                        touched.Add(key);
                    }
                }

                h.Source.EndReceiveBatch();
            }

            foreach (var key in reference.Keys)
            {
                var expected = reference.At(key, h.NowMs, h.NowTick);
                var republished = touched.Contains(key) || (published.TryGetValue(key, out var p) && p.Contributors != expected.Contributors);
                if (republished)
                {
                    published[key] = (AggregationReference.TickFor(h.NowTick, expected.RateAge), expected.RateCurrent, expected.RatePrevious, expected.Contributors);
                }

                h.AssertOutput(key, expected, published[key], $"seed {seed} step {step}");
            }
        }
    }

    [Fact]
    public void Reteach_AfterReconnect_DoesNotCountTwice()
    {
        var h = new Harness();
        var reference = new AggregationReference(SourceExpireMs, PeriodMs, Peers);
        var a = new SenderState().Requests(h.NowTick, 5, null);
        var b = new SenderState().Requests(h.NowTick, 7, null);
        h.Send("h1", "k", a, reference);
        h.Send("h2", "k", b, reference);
        h.Source.EndReceiveBatch();
        h.Send("h1", "k", a, reference); // the same values again: a resync lesson after a reconnect
        h.Send("h1", "k", a, reference);
        h.Source.EndReceiveBatch();

        Assert.Equal(12, h.Value("k", StickDataType.HttpReqCnt));
    }

    [Fact]
    public void ContributionExpires_SumDropsAtTheNextSweep()
    {
        var h = new Harness();
        var reference = new AggregationReference(SourceExpireMs, PeriodMs, Peers);
        h.Send("h1", "k", new SenderState().Requests(h.NowTick, 5, null), reference);
        h.Source.EndReceiveBatch();
        h.Time.Advance(TimeSpan.FromMilliseconds(SourceExpireMs / 2));
        h.Send("h2", "k", new SenderState().Requests(h.NowTick, 3, null), reference);
        h.Source.EndReceiveBatch();
        Assert.Equal(8, h.Value("k", StickDataType.HttpReqCnt));

        h.Time.Advance(TimeSpan.FromMilliseconds((SourceExpireMs / 2) + 1));
        h.Set.Sweep();
        Assert.Equal(3, h.Value("k", StickDataType.HttpReqCnt));
        Assert.Equal(1, h.Rule.Contributors);
    }

    [Fact]
    public void UpdatesFromUnknownOrLocalPeer_AreNotContributions()
    {
        var h = new Harness();
        var reference = new AggregationReference(SourceExpireMs, PeriodMs, Peers);
        h.Send("agg", "k", new SenderState().Requests(h.NowTick, 5, null), reference: null);
        h.Send("h3", "k", new SenderState().Requests(h.NowTick, 2, null), reference);
        h.Source.EndReceiveBatch();

        Assert.Equal(2, h.Value("k", StickDataType.HttpReqCnt));
    }

    [Fact]
    public void SourceTable_IsNeverTaught()
    {
        var h = new Harness();
        h.Send("h1", "k", new SenderState().Requests(h.NowTick, 5, null), reference: null);
        h.Source.EndReceiveBatch();

        Assert.False(h.Source.StartTeach().TryReadNext(new DecodedUpdate(h.Source.Schema)));
        Assert.Equal(1, h.Built.Tables.Single(t => t.Name == "agg/local").Count); // it still holds the last value for show table
    }

    internal static StickpeerConfiguration Parse(string text, string local = "agg")
    {
        var parser = new ConfigParser(_ => null);
        parser.ParseText("test.cfg", text);
        return parser.Build(local, "host");
    }

    /// <summary>One HAProxy node's own entry: counters and its http_req_rate on the shared clock.</summary>
    internal readonly record struct SenderState(uint Gpc0, uint Cnt, uint Gpt0, uint ServerId, uint Tick, uint Current, uint Previous)
    {
        public SenderState Requests(uint now, uint n, Random? random)
        {
            uint tick = Tick, curr = Current, prev = Previous;
            FreqCounter.Add(ref tick, ref curr, ref prev, now, PeriodMs, n);
            return this with
            {
                Cnt = Cnt + n,
                Gpc0 = random is null ? Gpc0 + 1 : (uint)random.Next(100),
                Gpt0 = random is null ? Gpt0 : (uint)random.Next(50),
                ServerId = random is null ? 1 : (uint)random.Next(1, 4),
                Tick = tick,
                Current = curr,
                Previous = prev,
            };
        }
    }

    internal sealed class Harness
    {
        private readonly DecodedUpdate _update;
        private readonly EntryValues _read;

        public Harness(FakeTimeProvider? time = null, PersistenceOptions? persistence = null, System.Diagnostics.Metrics.IMeterFactory? meters = null)
        {
            Time = time ?? new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
            Built = NodeBuilder.Build(Parse(Config), Time, NullLoggerFactory.Instance, meters, persistence: persistence);
            Set = Built.Aggregation!;
            Rule = Set.Rules.Single();
            var source = Built.Tables.Single(t => t.Name == "agg/local");
            Source = Set.Wrap("agg/local", new StickTableReplica(source));
            Output = Rule.Output;
            _update = new DecodedUpdate(source.Schema);
            _read = new EntryValues(Output.Schema);
        }

        public FakeTimeProvider Time { get; }

        public BuiltNode Built { get; }

        public Stickpeer.Node.Aggregation.AggregationSet Set { get; }

        public Stickpeer.Node.Aggregation.Aggregator Rule { get; }

        public IReplicatedTable Source { get; }

        public StickTable Output { get; }

        public uint NowTick => Output.Clock.NowMs;

        public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

        public void Send(string peer, string key, SenderState s, AggregationReference? reference)
        {
            _update.SetKey(Encoding.ASCII.GetBytes(key));
            _update.HasExpire = false;
            var v = _update.Values;
            v.Clear();
            v.Of(StickDataType.Gpc0)[0] = new WireValue { Number = s.Gpc0 };
            v.Of(StickDataType.HttpReqCnt)[0] = new WireValue { Number = s.Cnt };
            v.Of(StickDataType.Gpt0)[0] = new WireValue { Number = s.Gpt0 };
            v.Of(StickDataType.ServerId)[0] = new WireValue { Number = s.ServerId };
            v.Of(StickDataType.ConnCur)[0] = new WireValue { Number = 99 };
            var age = unchecked(NowTick - s.Tick);
            v.Of(StickDataType.HttpReqRate)[0] = new WireValue { AgeMs = age, Current = s.Current, Previous = s.Previous };
            Source.ApplyRemoteFrom(peer, _update, null);
            reference?.Receive(peer, key, new AggregationReference.Sent(s.Gpc0, s.Cnt, s.Gpt0, s.ServerId, AggregationReference.TickFor(NowTick, age), s.Current, s.Previous, NowMs));
        }

        public long Value(string key, StickDataType type)
        {
            Assert.True(Output.TryGetValue(Encoding.ASCII.GetBytes(key), type, 0, out var value));
            return value;
        }

        public void AssertOutput(string key, AggregationReference.Expected e, (uint Tick, uint Current, uint Previous, int Contributors) rate, string at)
        {
            Assert.True(Output.TryFillValues(Encoding.ASCII.GetBytes(key), _read, out _), $"{at}: output entry '{key}' missing");
            var got = (
                (uint)_read.Of(StickDataType.Gpc0)[0].Number,
                (uint)_read.Of(StickDataType.HttpReqCnt)[0].Number,
                (uint)_read.Of(StickDataType.Gpt0)[0].Number,
                (uint)_read.Of(StickDataType.ServerId)[0].Number);
            var r = _read.Of(StickDataType.HttpReqRate)[0];
            Assert.True(
                got == (e.Gpc0, e.HttpReqCnt, e.Gpt0, e.Contributors == 0 ? got.Item4 : e.ServerId),
                $"{at}: '{key}' gpc0/cnt/gpt0/server_id {got} expected {(e.Gpc0, e.HttpReqCnt, e.Gpt0, e.ServerId)} from {e.Contributors} contributions");
            Assert.True(
                (unchecked(NowTick - r.AgeMs), r.Current, r.Previous) == (rate.Tick, rate.Current, rate.Previous),
                $"{at}: '{key}' rate tick/curr/prev {(unchecked(NowTick - r.AgeMs), r.Current, r.Previous)} expected {(rate.Tick, rate.Current, rate.Previous)}");
        }
    }
}
