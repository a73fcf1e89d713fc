// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Node.Composition;
using Stickpeer.Node.Configuration;
using Stickpeer.Protocol.Session;
using Stickpeer.Tables.Engine;
using Stickpeer.TestKit.Mesh;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Mesh;

/// <summary>
/// The bounded version of the <c>fanin</c> benchmark (docs/benchmarks.md): one node ("hub") peered
/// with 20 peers that know only it, over TCP. Every peer's writes reach the hub, the hub's writes
/// reach every peer, and no session drops.
/// </summary>
public sealed class FanInTests
{
    private const int Peers = 20;
    private const int Keys = 10;
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task HubWithTwentyPeers_WritesBothWays_ArriveWithoutFlaps()
    {
        var ct = TestContext.Current.CancellationToken;
        var ports = FreePort.GetMany(Peers + 1);
        var everyone = new StringBuilder();
        for (var i = 0; i < Peers; i++)
        {
            everyone.Append(CultureInfo.InvariantCulture, $"    peer p{i} 127.0.0.1:{ports[i + 1]}\n");
        }

        var members = new List<MeshMember>();
        try
        {
            var hub = Start(members, "hub", $"    peer hub 127.0.0.1:{ports[0]}\n{everyone}");
            var peers = Enumerable.Range(0, Peers)
                .Select(i => Start(members, "p" + i, $"    peer hub 127.0.0.1:{ports[0]}\n    peer p{i} 127.0.0.1:{ports[i + 1]}\n"))
                .ToList();

            await WaitAsync(() => Up(hub) == Peers && members.All(m => m.Synced()), () => $"{Up(hub)} of {Peers} sessions up on the hub", ct);
            var established = hub.Peers().Sum(p => p.SessionsEstablished);

            foreach (var writer in members)
            {
                for (var k = 0; k < Keys; k++)
                {
                    Assert.NotEqual(LocalUpdateStatus.TableFull, writer.Write($"{writer.Name}-k{k}", k + 1));
                }
            }

            // Peers relay nothing they learned (as HAProxy): the hub gets every peer's keys, each peer the hub's.
            await WaitAsync(
                () => peers.All(p => Enumerable.Range(0, Keys).All(k => hub.Read($"{p.Name}-k{k}") == k + 1))
                    && peers.All(p => Enumerable.Range(0, Keys).All(k => p.Read($"hub-k{k}") == k + 1)),
                () => $"hub holds {hub.Count} entries; peers hold {string.Join(",", peers.Select(p => p.Count))}",
                ct);
            Assert.Equal(Peers, Up(hub));
            Assert.Equal(established, hub.Peers().Sum(p => p.SessionsEstablished));
        }
        finally
        {
            foreach (var m in members)
            {
                await m.Node.Node.DisposeAsync();
            }
        }
    }

    private static int Up(MeshMember hub) => hub.Peers().Count(p => p.SessionState == PeerSessionState.Established);

    private static MeshMember Start(List<MeshMember> members, string name, string peerLines)
    {
        var parser = new ConfigParser(_ => null);
        parser.ParseText("fanin.cfg", $"peers {LoopbackMesh.SectionName}\n{peerLines}    table t type string len 32 size 10000 expire 30m store gpc0\n");
        var built = NodeBuilder.Build(parser.Build(name, "host"), TimeProvider.System, NullLoggerFactory.Instance);
        var member = new MeshMember(name, built);
        members.Add(member);
        built.Node.Start();
        return member;
    }

    private static async Task WaitAsync(Func<bool> done, Func<string> state, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + s_wait;
        while (!done() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, ct);
        }

        Assert.True(done(), "timed out: " + state());
    }
}
