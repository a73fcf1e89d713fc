// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Stickpeer.Node.Configuration;
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
    /// <summary>Builds (does not start) the node; a configuration error throws <see cref="ConfigurationException"/> naming its <c>file:line</c>.</summary>
    public static BuiltNode Build(
        StickpeerConfiguration configuration,
        TimeProvider time,
        ILoggerFactory loggers,
        IMeterFactory? meters = null,
        IPeerTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggers);
        var tables = CreateTables(configuration, time, loggers);
        var replicas = new Dictionary<string, StickTableReplica>(StringComparer.Ordinal);
        foreach (var definition in configuration.Tables)
        {
            replicas[definition.LocalName] = new StickTableReplica(tables[definition.LocalName])
            {
                WriteTarget = WriteTarget(definition, configuration, tables),
            };
        }

        var ordered = configuration.Tables.Select(d => tables[d.LocalName]).ToList();
        var node = StickpeerNode.Create(
            configuration,
            d => replicas[d.LocalName],
            time,
            loggers,
            meters,
            transport: transport,
            sweep: () => ordered.ForEach(t => t.Sweep()));
        return new BuiltNode(node, ordered);
    }

    private static Dictionary<string, StickTable> CreateTables(StickpeerConfiguration configuration, TimeProvider time, ILoggerFactory loggers)
    {
        var byLocal = new Dictionary<string, StickTable>(StringComparer.Ordinal);
        var networkNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var definition in configuration.Tables)
        {
            var table = StickTable.Create(definition.Declaration, definition.LocalName, definition.WireName, new StickTableOptions
            {
                TimeProvider = time,
                Logger = loggers.CreateLogger("Stickpeer.Tables"),
            });
            if (!byLocal.TryAdd(definition.LocalName, table) || !networkNames.Add(table.Schema.Name))
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
