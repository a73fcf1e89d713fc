// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Configuration;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Node.Aggregation;

/// <summary>The checks of <c>#@stickpeer aggregate</c> rules; every error names the rule's <c>file:line</c>.</summary>
internal static class AggregationValidator
{
    public static void Validate(StickpeerConfiguration configuration, IReadOnlyDictionary<string, StickTable> tables)
    {
        var outputs = new Dictionary<string, ConfigLocation>(StringComparer.Ordinal);
        var sources = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in configuration.Aggregates)
        {
            var at = rule.Location;
            if (!configuration.PeersSections.Any(s => s.Name == rule.PeersSection))
            {
                throw new ConfigurationException(at, $"aggregate: peers section '{rule.PeersSection}' is disabled");
            }

            var output = Find(tables, rule.OutputLocalName, rule.Output, rule.PeersSection, at, "output");
            if (!outputs.TryAdd(output.Name, at))
            {
                throw new ConfigurationException(at, $"aggregate: table '{rule.Output}' is already the output of the rule at {outputs[output.Name]}");
            }

            foreach (var (name, local) in rule.Sources.Zip(rule.SourceLocalNames))
            {
                var source = Find(tables, local, name, rule.PeersSection, at, "source");
                sources.Add(source.Name);
                if (source.KeyType != output.KeyType || source.Schema.KeySize != output.Schema.KeySize)
                {
                    throw new ConfigurationException(at, $"aggregate: source table '{name}' has key type {source.KeyType} len {source.Schema.KeySize}, output '{rule.Output}' has {output.KeyType} len {output.Schema.KeySize}");
                }

                CheckTypes(output.Schema, source.Schema, rule.Output, name, at);
            }
        }

        foreach (var rule in configuration.Aggregates)
        {
            if (sources.Contains(rule.OutputLocalName))
            {
                throw new ConfigurationException(rule.Location, $"aggregate: output table '{rule.Output}' is also a source table (outputs are never input)");
            }
        }
    }

    private static StickTable Find(IReadOnlyDictionary<string, StickTable> tables, string local, string name, string section, ConfigLocation at, string role) =>
        tables.TryGetValue(local, out var table)
            ? table
            : throw new ConfigurationException(at, $"aggregate: {role} table '{name}' is not declared in peers section '{section}'");

    /// <summary>Every aggregated type of one side must be stored by the other with the same array length and period.</summary>
    private static void CheckTypes(TableSchema output, TableSchema source, string outputName, string sourceName, ConfigLocation at)
    {
        foreach (var spec in output.DataTypes)
        {
            if (AggregateMath.KindOf(spec.Type) == Combine.None)
            {
                continue;
            }

            if (!source.TryGet(spec.Type, out var other))
            {
                throw new ConfigurationException(at, $"aggregate: source table '{sourceName}' does not store '{spec.Info.Name}' that output '{outputName}' stores");
            }

            if (other.ArrayLength != spec.ArrayLength || other.PeriodMs != spec.PeriodMs)
            {
                throw new ConfigurationException(at, $"aggregate: '{spec.Info.Name}' has another array length or period in source table '{sourceName}' than in output '{outputName}'");
            }
        }

        foreach (var spec in source.DataTypes)
        {
            if (AggregateMath.KindOf(spec.Type) != Combine.None && !output.Stores(spec.Type))
            {
                throw new ConfigurationException(at, $"aggregate: output table '{outputName}' lacks '{spec.Info.Name}' that source '{sourceName}' stores");
            }
        }
    }
}
