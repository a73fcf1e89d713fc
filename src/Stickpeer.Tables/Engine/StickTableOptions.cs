// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;
using Stickpeer.Tables.Diagnostics;

namespace Stickpeer.Tables.Engine;

/// <summary>Runtime options of a table (not part of its declaration).</summary>
public sealed class StickTableOptions
{
    /// <summary>Time source (default <see cref="TimeProvider.System"/>); ignored when <see cref="Clock"/> is set.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>A millisecond clock shared by several tables (default: one per table from <see cref="TimeProvider"/>).</summary>
    public TableClock? Clock { get; init; }

    /// <summary>Logger (default: none).</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Metrics sink (default: the shared "Stickpeer.Tables" meter).</summary>
    public TableMetrics? Metrics { get; init; }

    /// <summary>Number of shards, rounded up to a power of two (default 16, at most 1024).</summary>
    public int ShardCount { get; init; } = 16;

    /// <summary>The update counter's starting value: the first local change gets this + 1 (tests use it to cross 2^32).</summary>
    public uint InitialUpdateId { get; init; }

    /// <summary>
    /// Seed of the key hash, which decides the shard and bucket of every key and therefore the
    /// order of full walks (teaching, enumeration). Null (the default and the only sensible
    /// production setting): a random seed per table from <see cref="System.Security.Cryptography.RandomNumberGenerator"/>,
    /// so that peers or clients cannot choose keys that all collide (hash flooding). Set it only
    /// where runs must be reproducible: tests and the deterministic simulation, which replays a
    /// failing run from its seed.
    /// </summary>
    public ulong? HashSeed { get; init; }
}
