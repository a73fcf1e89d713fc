// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// The simulation's side of the real table engine: builds <see cref="StickTable"/>s whose
/// every source of nondeterminism is pinned (key hash seed and shard count derived from the
/// run's seed, the node's wrapping millisecond clock on the simulation's
/// <see cref="TimeProvider"/>), performs the workload's writes through the engine's public
/// API, and renders entries canonically for the oracle.
/// </summary>
internal static class SimTables
{
    /// <summary>Large enough that the workload never evicts (eviction is not part of the fault model).</summary>
    public const long Size = 4096;

    /// <summary>The tables of one node incarnation, on one millisecond clock (one process).</summary>
    /// <param name="schemas">The shared tables.</param>
    /// <param name="time">The simulation's clock.</param>
    /// <param name="seed">The incarnation's seed: hash seeds, shard count and the clock's start derive from it.</param>
    /// <param name="firstUpdateId">Every table's update counter starts here (the first local change gets this + 1).</param>
    /// <param name="clockNearWrap">Start the 32-bit millisecond clock less than 30 s before it wraps.</param>
    public static StickTable[] CreateNode(IReadOnlyList<TableSchema> schemas, TimeProvider time, int seed, uint firstUpdateId, bool clockNearWrap)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        ArgumentNullException.ThrowIfNull(time);
        var bits = Mix((ulong)(uint)seed);

        // Every process has its own now_ms origin (peers exchange ages, never ticks); some start just before the wrap.
        var start = clockNearWrap ? uint.MaxValue - (uint)(bits % 30_000) : (uint)(bits >> 32);
        var clock = new TableClock(time, unchecked(start - (uint)time.GetUtcNow().ToUnixTimeMilliseconds()));
        var shards = ((bits >> 20) % 3) switch { 0 => 1, 1 => 4, _ => 16 };
        var tables = new StickTable[schemas.Count];
        for (var i = 0; i < tables.Length; i++)
        {
            tables[i] = Create(schemas[i], time, Mix(bits + (ulong)i + 1), firstUpdateId, clock, shards);
        }

        return tables;
    }

    /// <summary>One table with a fixed hash seed.</summary>
    public static StickTable Create(TableSchema schema, TimeProvider time, ulong hashSeed, uint firstUpdateId = 0, TableClock? clock = null, int shards = 16)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return new StickTable(schema.Name, schema, Size, options: new StickTableOptions
        {
            TimeProvider = time,
            Clock = clock,
            ShardCount = shards,
            InitialUpdateId = firstUpdateId,
            HashSeed = hashSeed,
        });
    }

    /// <summary>Performs one workload write as a local change; returns the engine's status.</summary>
    public static LocalUpdateStatus Apply(StickTable table, SimWrite write)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(write);
        return write.Kind switch
        {
            SimWriteKind.SetNumber => table.Set(write.Key, [new DataAssignment(write.Type, write.Index, unchecked((long)write.Value))]),
            SimWriteKind.SetText => table.Set(write.Key, [new DataAssignment(write.Type, write.Index, 0, write.Text)]),

            // A counter also feeds its companion rate when stored (gpc0 → gpc0_rate …); a rate type takes the events alone.
            _ => table.Increment(write.Key, write.Type, write.Index, unchecked((long)write.Value)),
        };
    }

    /// <summary>Canonical values of one live entry, or null when absent or expired.</summary>
    public static string? Read(StickTable table, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.TryGetSnapshot(key, out var s) ? SimCanonical.Render(s.Values) : null;
    }

    /// <summary>Every live entry: key bytes and canonical values.</summary>
    public static IEnumerable<(byte[] Key, string Values)> All(StickTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Enumerate().Select(s => (s.Key, SimCanonical.Render(s.Values)));
    }

    /// <summary>SplitMix64's finaliser.</summary>
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
