// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Tables.Engine;
using Stickpeer.TestKit.Mesh;

namespace Stickpeer.Node.Tests.Mesh;

/// <summary>
/// The bounded version of the 100-node run (<c>mesh</c> benchmark, docs/benchmarks.md): 20 real
/// nodes over TCP in one full mesh, every node writing; all converge to the same values and no
/// session drops once the mesh is whole.
/// </summary>
public sealed class MeshScaleTests
{
    private const int Nodes = 20;
    private const int KeysPerNode = 25;
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task TwentyNodeMesh_EveryNodeWrites_AllConvergeWithoutFlaps()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mesh = await LoopbackMesh.StartAsync(Nodes);
        Assert.True(await mesh.WaitReadyAsync(s_wait, cancellationToken: ct), $"{mesh.EstablishedSessions()} of {mesh.FullSessions} sessions established, {mesh.Members.Count(m => m.Synced())} nodes synced");
        var established = mesh.SessionsEverEstablished();

        // Three rounds: every key is created, then overwritten twice; the last value must win everywhere.
        for (var round = 1; round <= 3; round++)
        {
            foreach (var m in mesh.Members)
            {
                for (var k = 0; k < KeysPerNode; k++)
                {
                    Assert.NotEqual(LocalUpdateStatus.TableFull, m.Write($"{m.Name}-k{k}", Expected(m.Name, k, round)));
                }
            }
        }

        var deadline = DateTime.UtcNow + s_wait;
        List<string> missing;
        while ((missing = Differences(mesh)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, ct);
        }

        Assert.True(missing.Count == 0, $"{missing.Count} (node, key) pairs differ, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.Equal(mesh.FullSessions, mesh.EstablishedSessions());
        Assert.Equal(established, mesh.SessionsEverEstablished());
    }

    private static long Expected(string writer, int key, int round) => (long.Parse(writer.AsSpan(1)) * 1000) + (key * 10) + round;

    private static List<string> Differences(LoopbackMesh mesh)
    {
        var differences = new List<string>();
        foreach (var reader in mesh.Members)
        {
            foreach (var writer in mesh.Members)
            {
                for (var k = 0; k < KeysPerNode; k++)
                {
                    var key = $"{writer.Name}-k{k}";
                    if (reader.Read(key) != Expected(writer.Name, k, 3))
                    {
                        differences.Add($"{reader.Name}:{key}={reader.Read(key)?.ToString() ?? "absent"}");
                    }
                }
            }
        }

        return differences;
    }
}
