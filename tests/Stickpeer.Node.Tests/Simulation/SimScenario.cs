// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>A partition: the nodes in <see cref="Side"/> cannot reach the others between two instants.</summary>
internal sealed record SimPartition(IReadOnlySet<int> Side, long StartMs, long EndMs);

/// <summary>A crash: the node dies at <see cref="AtMs"/> and restarts <see cref="DownMs"/> later.</summary>
internal sealed record SimCrash(int Node, long AtMs, long DownMs, bool KeepTables);

/// <summary>How keys are assigned to writers.</summary>
internal enum SimWriteMode
{
    /// <summary>Every key has one owner node for the whole run (no concurrent writers: convergence is exact).</summary>
    OwnerPerKey,

    /// <summary>Any node writes any key (concurrent writers: only "each value was written by someone" holds).</summary>
    AnyWriter,
}

/// <summary>
/// Everything about one run, derived from its seed: topology, timing, faults, workload.
/// Two scenarios built from one seed are identical.
/// </summary>
internal sealed class SimScenario
{
    private SimScenario(int seed) => Seed = seed;

    public int Seed { get; }

    public int NodeCount { get; init; } = 4;

    /// <summary>Start time of each node (0 for all = simultaneous starts, i.e. collisions).</summary>
    public IReadOnlyList<long> StartMs { get; init; } = [];

    public int TickMs { get; init; } = 100;

    public int LatencyMs { get; init; }

    public int JitterMs { get; init; }

    /// <summary>Probability that a new connection is cut at some byte of one of its directions.</summary>
    public double CutProbability { get; init; }

    /// <summary>Cuts happen uniformly within the first this-many bytes of a direction.</summary>
    public int CutWithinBytes { get; init; } = 6000;

    /// <summary>Probability that an endpoint reads slowly (small chunks, delays).</summary>
    public double SlowReaderProbability { get; init; }

    /// <summary>Largest unread + in-flight bytes per direction (back-pressure window).</summary>
    public int WindowBytes { get; init; } = 65536;

    public IReadOnlyList<SimPartition> Partitions { get; init; } = [];

    public IReadOnlyList<SimCrash> Crashes { get; init; } = [];

    /// <summary>Instants at which a random open connection is reset.</summary>
    public IReadOnlyList<long> Kills { get; init; } = [];

    /// <summary>No fault starts after this instant; partitions heal and crashed nodes are up by then.</summary>
    public long FaultEndMs { get; init; }

    /// <summary>Writes stop at this instant.</summary>
    public long WriteEndMs { get; init; }

    /// <summary>The run ends (and convergence is checked) at this instant.</summary>
    public long EndMs { get; init; }

    public double WritesPerSecond { get; init; } = 10;

    public int KeysPerTable { get; init; } = 8;

    public SimWriteMode WriteMode { get; init; } = SimWriteMode.OwnerPerKey;

    /// <summary>Some nodes start their table update counters just below 2^32 (id wrap-around during the run), some their millisecond clocks.</summary>
    public bool WrapCounters { get; init; }

    /// <summary>Expire of the <c>/sim_exp</c> table: 2 s (entries expire during faults and lessons), 9 s or 30 s (entries written late are still alive at the end).</summary>
    public uint ShortExpireMs { get; init; } = SimWorkload.DefaultShortExpireMs;

    /// <summary>A fault-free, write-free run of <paramref name="nodes"/> nodes started together (for scripted scenarios).</summary>
    public static SimScenario Quiet(int seed, int nodes, long endMs) => new(seed)
    {
        NodeCount = nodes,
        StartMs = new long[nodes],
        LatencyMs = 1,
        FaultEndMs = 0,
        WriteEndMs = 0,
        EndMs = endMs,
    };

    /// <summary>Builds the scenario of a seed. <paramref name="faults"/> false gives a fault-free run.</summary>
    public static SimScenario FromSeed(int seed, bool faults = true, SimWriteMode mode = SimWriteMode.OwnerPerKey, bool wrapCounters = false)
    {
        var rnd = new Random(seed);
        wrapCounters |= seed % 4 == 0; // a quarter of the seeds start update counters just below 2^32
        var nodes = rnd.Next(10) switch { 0 => 2, 1 => 3, 2 => 5, _ => 4 };
        var simultaneous = rnd.Next(3) != 0;
        var starts = Enumerable.Range(0, nodes).Select(_ => simultaneous ? 0L : rnd.Next(0, 3000)).ToArray();
        var faultEnd = 15_000L;
        var writeEnd = faultEnd + 6_000;
        var end = writeEnd + 24_000;
        if (!faults)
        {
            return new SimScenario(seed)
            {
                NodeCount = nodes,
                StartMs = starts,
                LatencyMs = rnd.Next(0, 5),
                JitterMs = rnd.Next(0, 5),
                FaultEndMs = 0,
                WriteEndMs = writeEnd,
                EndMs = end,
                WriteMode = mode,
                WrapCounters = wrapCounters,
                ShortExpireMs = ShortExpire(rnd),
            };
        }

        var partitions = new List<SimPartition>();
        for (var i = rnd.Next(0, 3); i > 0; i--)
        {
            var side = new HashSet<int>();
            while (side.Count == 0 || side.Count == nodes)
            {
                side.Clear();
                for (var n = 0; n < nodes; n++)
                {
                    if (rnd.Next(2) == 0)
                    {
                        side.Add(n);
                    }
                }
            }

            var start = rnd.Next(0, (int)faultEnd - 500);
            partitions.Add(new SimPartition(side, start, Math.Min(faultEnd, start + rnd.Next(500, 14_000))));
        }

        var crashes = new List<SimCrash>();
        for (var i = rnd.Next(0, 3); i > 0; i--)
        {
            var at = rnd.Next(500, (int)faultEnd - 1000);
            crashes.Add(new SimCrash(rnd.Next(nodes), at, Math.Min(faultEnd - at, rnd.Next(100, 6000)), rnd.Next(2) == 0));
        }

        var kills = Enumerable.Range(0, rnd.Next(0, 6)).Select(_ => (long)rnd.Next(0, (int)faultEnd)).Order().ToArray();
        return new SimScenario(seed)
        {
            NodeCount = nodes,
            StartMs = starts,
            LatencyMs = rnd.Next(0, 30),
            JitterMs = rnd.Next(0, 40),
            CutProbability = rnd.Next(4) switch { 0 => 0, 1 => 0.1, 2 => 0.3, _ => 0.6 },
            SlowReaderProbability = rnd.Next(3) switch { 0 => 0, 1 => 0.2, _ => 0.6 },
            WindowBytes = rnd.Next(3) switch { 0 => 512, 1 => 4096, _ => 65536 },
            Partitions = partitions,
            Crashes = crashes,
            Kills = kills,
            FaultEndMs = faultEnd,
            WriteEndMs = writeEnd,
            EndMs = end,
            WritesPerSecond = rnd.Next(3, 25),
            WriteMode = mode,
            WrapCounters = wrapCounters,
            ShortExpireMs = ShortExpire(rnd),
        };
    }

    public override string ToString() =>
        $"seed={Seed} nodes={NodeCount} starts=[{string.Join(',', StartMs)}] latency={LatencyMs}+{JitterMs}ms cut={CutProbability} slow={SlowReaderProbability} " +
        $"window={WindowBytes} partitions={Partitions.Count} crashes=[{string.Join(',', Crashes.Select(c => $"n{c.Node}@{c.AtMs}+{c.DownMs}{(c.KeepTables ? "keep" : "empty")}"))}] kills={Kills.Count} writes/s={WritesPerSecond} mode={WriteMode} expire={ShortExpireMs}ms{(WrapCounters ? " wrap" : "")}";

    private static uint ShortExpire(Random rnd) => rnd.Next(3) switch { 0 => 2_000u, 1 => 9_000u, _ => 30_000u };
}
