// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Stickpeer.Node.Aggregation;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Persistence;
using Stickpeer.Node.Replication;
using Stickpeer.Node.Transport;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Node.Composition;

/// <summary>
/// Configuration → a node ready to start: one engine table per declaration (with its
/// <c>write-to</c> target), the peers sections over them, and the host's periodic sweep of
/// expired entries. The daemon and embedding applications build nodes the same way.
/// </summary>
public static class NodeBuilder
{
    /// <summary>
    /// Builds (does not start) the node; a configuration error throws <see cref="ConfigurationException"/> naming its <c>file:line</c>.
    /// With <paramref name="persistence"/>, the tables are first loaded from its data directory and every
    /// change is logged from then on (an unusable directory throws <see cref="PersistenceException"/>);
    /// disposing the node closes the directory after the node has stopped.
    /// </summary>
    public static BuiltNode Build(
        StickpeerConfiguration configuration,
        TimeProvider time,
        ILoggerFactory loggers,
        IMeterFactory? meters = null,
        IPeerTransport? transport = null,
        PersistenceOptions? persistence = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggers);
        var tables = CreateTables(configuration, time, loggers, meters);
        var targets = configuration.Tables.ToDictionary(d => d.LocalName, d => WriteTarget(d, configuration, tables), StringComparer.Ordinal);
        var ordered = configuration.Tables.Select(d => tables[d.LocalName]).ToList();
        var aggregation = AggregationSet.Create(configuration, tables, time, loggers);
        var persisted = ordered.Concat(aggregation.ContributionTables).ToList();
        var store = persistence is null ? null : NodePersistence.Open(persistence, persisted, time, loggers.CreateLogger("Stickpeer.Persistence"));
        try
        {
            var replicas = new Dictionary<string, IReplicatedTable>(StringComparer.Ordinal);
            foreach (var definition in configuration.Tables)
            {
                replicas[definition.LocalName] = aggregation.Wrap(definition.LocalName, new StickTableReplica(tables[definition.LocalName])
                {
                    WriteTarget = targets[definition.LocalName],
                    RestoredFromDisk = store?.Report.RestoredTables.Contains(definition.LocalName) ?? false,
                });
            }

            var node = StickpeerNode.Create(
                configuration,
                d => replicas[d.LocalName],
                time,
                loggers,
                meters,
                transport: transport,
                sweep: () =>
                {
                    ordered.ForEach(t => t.Sweep());
                    aggregation.Sweep();
                });
            if (store is not null)
            {
                node.Persistence = store;
                node.Host.OutputGate = store;
            }

            if (store is not null)
            {
                aggregation.ScheduleRestored();
            }

            if (meters is not null)
            {
                AggregationMetrics.Register(meters, aggregation);
            }

            return new BuiltNode(node, ordered) { Persistence = store, Aggregation = aggregation };
        }
        catch
        {
            // Building has no synchronisation context, and the log is idle: nothing was changed yet.
#pragma warning disable VSTHRD002
            store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
#pragma warning restore VSTHRD002
            throw;
        }
    }

    private static Dictionary<string, StickTable> CreateTables(StickpeerConfiguration configuration, TimeProvider time, ILoggerFactory loggers, IMeterFactory? meters)
    {
        var byLocal = new Dictionary<string, StickTable>(StringComparer.Ordinal);
        // With a factory (embedding, DI), the tables' instruments are the factory's; without, the process-wide meter.
        var metrics = meters is null ? null : new Stickpeer.Tables.Diagnostics.TableMetrics(meters);
        // A name on the wire is unique within its peers section only: HAProxy accepts 'table t' in
        // two sections (two tables, each replicated in its own section).
        var networkNames = new HashSet<(string Section, string Name)>();
        foreach (var definition in configuration.Tables)
        {
            var table = StickTable.Create(definition.Declaration, definition.LocalName, definition.WireName, new StickTableOptions
            {
                TimeProvider = time,
                Logger = loggers.CreateLogger("Stickpeer.Tables"),
                Metrics = metrics,
            });
            if (!byLocal.TryAdd(definition.LocalName, table) || !networkNames.Add((definition.PeersSection, table.Schema.Name)))
            {
                throw new ConfigurationException(definition.Location, $"table '{definition.LocalName}' is declared twice");
            }
        }

        return byLocal;
    }

    /// <summary>The table a <c>write-to</c> names, checked as HAProxy checks it (exists, not the table itself, same key type and size, no write-to of its own).</summary>
    private static StickTable? WriteTarget(TableDefinition definition, StickpeerConfiguration configuration, Dictionary<string, StickTable> tables)
    {
        if (definition.Declaration.WriteTo is not { } name)
        {
            return null;
        }

        if (!tables.TryGetValue(name, out var target))
        {
            throw new ConfigurationException(definition.Location, $"table '{definition.LocalName}': write-to table '{name}' not found");
        }

        var source = tables[definition.LocalName];
        if (ReferenceEquals(source, target))
        {
            throw new ConfigurationException(definition.Location, $"table '{definition.LocalName}': write-to cannot name the table itself");
        }

        if (configuration.Tables.Any(t => t.LocalName == name && t.Declaration.WriteTo is not null))
        {
            throw new ConfigurationException(definition.Location, $"table '{definition.LocalName}': write-to table '{name}' has a write-to of its own");
        }

        if (target.KeyType != source.KeyType || target.Schema.KeySize != source.Schema.KeySize)
        {
            throw new ConfigurationException(definition.Location, $"table '{definition.LocalName}': write-to table '{name}' has another key type or length");
        }

        return target;
    }
}
