// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using Stickpeer.Node.Aggregation;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.TestKit.Replication;

namespace Stickpeer.Node.Tests.Aggregation;

/// <summary>
/// Aggregation over the deterministic host network (real hosts and sessions, virtual links, fake
/// clock): four edges standing in for HAProxy push their <c>local</c> table to two aggregators that
/// also peer with each other; links are cut at random bytes and connections refused for a while.
/// Once the faults stop, every edge and both aggregators hold exactly the reference sum of every
/// edge's count per key: reconnects, re-teaches and the aggregators' own exchanges never count twice.
/// </summary>
public sealed class AggregationNetworkTests
{
    private static readonly string[] s_edges = ["h1", "h2", "h3", "h4"];
    private static readonly string[] s_aggregators = ["agg1", "agg2"];

    private const string Config = """
        peers agg
            peer agg1 127.0.0.1:1
            peer agg2 127.0.0.1:2
            peer h1 127.0.0.1:3
            peer h2 127.0.0.1:4
            peer h3 127.0.0.1:5
            peer h4 127.0.0.1:6
            table local type string len 32 size 10k expire 10m store http_req_cnt,http_req_rate(10s)
            table global type string len 32 size 10k expire 10m store http_req_cnt,http_req_rate(10s)
            #@stickpeer aggregate global from local
        """;

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 12)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void FaultedRun_EveryNodeConvergesToTheReferenceSums(int seed)
    {
        var net = new InMemoryPeerNetwork(seed) { MaxChunk = 1 + (seed % 5 * 13) };
        var random = new Random(seed);
        var tables = new Dictionary<string, (StickTable Local, StickTable Global)>(StringComparer.Ordinal);
        foreach (var name in s_aggregators)
        {
            var config = AggregationEngineTests.Parse(Config, name);
            var (local, global) = Create(config, net.Time);
            var set = AggregationSet.Create(config, new Dictionary<string, StickTable> { ["agg/local"] = local, ["agg/global"] = global }, net.Time, net.Loggers);
            net.AddNode(name, [.. config.PeersSections[0].RemotePeers.Select(p => p.Name)], [set.Wrap("agg/local", new StickTableReplica(local)), new StickTableReplica(global)]);
            tables[name] = (local, global);
        }

        foreach (var name in s_edges)
        {
            var (local, global) = Create(AggregationEngineTests.Parse(Config, name), net.Time);
            net.AddNode(name, s_aggregators, [new StickTableReplica(local), new StickTableReplica(global)]);
            tables[name] = (local, global);
        }

        var reference = new Dictionary<string, long>(StringComparer.Ordinal);
        net.Advance(TimeSpan.FromSeconds(3));
        var blocked = new List<(string, string)>();
        for (var step = 0; step < 300; step++)
        {
            var roll = random.Next(100);
            if (roll < 70)
            {
                var edge = s_edges[random.Next(s_edges.Length)];
                var key = "k" + random.Next(8);
                var n = random.Next(1, 4);
                net.HostOf(edge).Invoke(() =>
                {
                    for (var i = 0; i < n; i++)
                    {
                        tables[edge].Local.Increment(Encoding.ASCII.GetBytes(key), StickDataType.HttpReqCnt);
                    }

                    return 0;
                });
                reference[key] = reference.GetValueOrDefault(key) + n;
            }
            else if (roll < 80)
            {
                var (a, b) = Pair(random);
                net.CutAfter(a, b, random.Next(1, 300));
            }
            else if (roll < 84)
            {
                var pair = Pair(random);
                net.Block(pair.Item1, pair.Item2);
                net.Cut(pair.Item1, pair.Item2);
                blocked.Add(pair);
            }
            else if (roll < 88 && blocked.Count > 0)
            {
                var (a, b) = blocked[^1];
                blocked.RemoveAt(blocked.Count - 1);
                net.Unblock(a, b);
            }

            net.Advance(TimeSpan.FromMilliseconds(random.Next(0, 400)));
        }

        blocked.ForEach(p => net.Unblock(p.Item1, p.Item2));
        net.Advance(TimeSpan.FromSeconds(30));

        foreach (var (name, t) in tables)
        {
            foreach (var (key, sum) in reference)
            {
                var got = net.HostOf(name).Invoke(() => t.Global.TryGetValue(Encoding.ASCII.GetBytes(key), StickDataType.HttpReqCnt, 0, out var v) ? v : -1);
                Assert.True(got == sum, $"seed {seed}: {name} holds {got} for '{key}' in global, the edges counted {sum}");
            }
        }
    }

    private static (string, string) Pair(Random random)
    {
        var a = s_aggregators[random.Next(s_aggregators.Length)];
        var others = s_edges.Concat(s_aggregators.Where(x => x != a)).ToArray();
        return (a, others[random.Next(others.Length)]);
    }

    private static (StickTable Local, StickTable Global) Create(StickpeerConfiguration config, TimeProvider time)
    {
        StickTable Make(TableDefinition d) => StickTable.Create(d.Declaration, d.LocalName, d.WireName, new StickTableOptions { TimeProvider = time });
        var defs = config.Tables.ToDictionary(d => d.LocalName);
        return (Make(defs["agg/local"]), Make(defs["agg/global"]));
    }
}
