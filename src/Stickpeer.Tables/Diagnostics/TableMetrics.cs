// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.Metrics;

namespace Stickpeer.Tables.Diagnostics;

/// <summary>
/// Instruments of the "Stickpeer.Tables" meter: entries (up/down counter), evictions and
/// expirations (counters), each tagged with <c>stickpeer.table</c> = the table's local name.
/// </summary>
public sealed class TableMetrics
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Stickpeer.Tables";

    private static readonly Lazy<TableMetrics> s_shared = new(() => new TableMetrics(new Meter(MeterName)));

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public TableMetrics(IMeterFactory meterFactory)
        : this((meterFactory ?? throw new ArgumentNullException(nameof(meterFactory))).Create(MeterName))
    {
    }

    private TableMetrics(Meter meter)
    {
        Entries = meter.CreateUpDownCounter<long>("stickpeer.table.entries", "{entry}", "Entries stored in stick tables.");
        Evictions = meter.CreateCounter<long>("stickpeer.table.evictions", "{entry}", "Entries purged to make room in a full table.");
        Expirations = meter.CreateCounter<long>("stickpeer.table.expirations", "{entry}", "Entries removed because they expired.");
    }

    /// <summary>The process-wide instance on a static meter (used when no factory is given).</summary>
    public static TableMetrics Shared => s_shared.Value;

    /// <summary>Entries currently stored.</summary>
    public UpDownCounter<long> Entries { get; }

    /// <summary>Entries evicted by size pressure.</summary>
    public Counter<long> Evictions { get; }

    /// <summary>Entries removed on expiry.</summary>
    public Counter<long> Expirations { get; }
}
