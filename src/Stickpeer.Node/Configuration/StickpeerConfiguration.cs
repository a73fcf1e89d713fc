// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Configuration;

/// <summary>The validated subset of an HAProxy configuration that Stickpeer runs.</summary>
public sealed record StickpeerConfiguration(
    string LocalPeerName,
    IReadOnlyList<StatsSocketDefinition> StatsSockets,
    IReadOnlyList<PeersSectionDefinition> PeersSections,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The <c>log</c> lines of <c>global</c> (syslog targets).</summary>
    public IReadOnlyList<LogTargetDefinition> LogTargets { get; init; } = [];

    /// <summary>Limits on what remote peers control (HAProxy's grammar has no keywords for them: the daemon's settings file).</summary>
    public PeerLimits Limits { get; init; } = PeerLimits.Default;

    /// <summary>The <c>#@stickpeer aggregate</c> rules (docs/aggregation.md).</summary>
    public IReadOnlyList<AggregateDefinition> Aggregates { get; init; } = [];

    /// <summary>Every table of every enabled section.</summary>
    public IEnumerable<TableDefinition> Tables => PeersSections.Where(s => !s.Disabled).SelectMany(s => s.Tables);
}
