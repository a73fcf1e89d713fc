// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Security.Cryptography;
using Stickpeer.TestKit.Replication;
using Stickpeer.TestKit.Transport;

namespace Stickpeer.Node.Tests.Transport;

/// <summary>
/// The real host run deterministically (<see cref="DeterministicContext"/>, fake clock,
/// <see cref="VirtualPeerTransport"/>): the same inputs put the same bytes on every link in the
/// same order, and anything that escapes to another thread fails the run.
/// </summary>
public sealed class DeterministicHostTests
{
    [Fact]
    public void SameInputs_TwoRuns_SameBytesOnEveryLinkInTheSameOrder()
    {
        var first = Run(seed: 7);
        var second = Run(seed: 7);

        Assert.True(first.Writes > 50, $"only {first.Writes} writes: the scenario did too little to compare");
        Assert.Equal(first.Hash, second.Hash);
        Assert.Equal(first.Writes, second.Writes);
    }

    [Fact]
    public void DifferentSeeds_DifferentRuns()
    {
        // The seed feeds the nodes' own random choices (collision back-off): the runs must differ
        // somewhere, or the hash above compares nothing.
        var hashes = Enumerable.Range(1, 4).Select(s => Run(seed: s).Hash).Distinct().Count();

        Assert.True(hashes > 1, "four seeds, one trace");
    }

    [Fact]
    public void ContinuationFromAnotherThread_FailsTheRun()
    {
        var context = new DeterministicContext();
        using (context.Enter())
        {
            // Enter makes this thread the run's; the post below comes from a thread of its own.
        }

        var other = new Thread(() => context.Post(_ => { }, null));
        other.Start();
        Assert.True(other.Join(TimeSpan.FromSeconds(30)), "the posting thread did not finish");

        var ex = Assert.Throws<InvalidOperationException>(() => context.RunUntilIdle());
        Assert.Contains("posted from thread", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Three nodes starting together (collisions), writes, a cut mid-stream and small reads; the hash of every write on every link.</summary>
    private static (string Hash, int Writes) Run(int seed)
    {
        var net = new InMemoryPeerNetwork(seed) { MaxChunk = 7 };
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var writes = 0;
        net.Transport.Faults.Wire = (from, to, bytes) =>
        {
            sha.AppendData(System.Text.Encoding.ASCII.GetBytes($"{from}>{to}:"));
            sha.AppendData(bytes.Span);
            writes++;
        };
        var tables = new[] { "a", "b", "c" }.Select(name =>
        {
            var table = InMemoryReplicatedTable.CreateStringGpc0();
            net.AddNode(name, new[] { "a", "b", "c" }.Where(n => n != name).ToArray(), [table]);
            return table;
        }).ToArray();

        net.Advance(TimeSpan.FromSeconds(3));
        for (var i = 0; i < 20; i++)
        {
            tables[i % 3].SetLocal("k" + i, (ulong)i);
        }

        net.CutAfter("a", "b", 40);
        net.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(19UL, tables[1].GetGpc0("k19"));
        return (Convert.ToHexString(sha.GetHashAndReset()), writes);
    }
}
