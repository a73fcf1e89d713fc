// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Replication;
using Stickpeer.Node.Transport;
using Stickpeer.Admin.Tables;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Daemon.Hosting;

/// <summary>Builds tables and the node from a validated configuration (nothing is started).</summary>
public static class NodeComposition
{
    /// <summary>Creates every table from its already-parsed declaration (a duplicate name throws <see cref="ConfigurationException"/>) and the node.</summary>
    public static (StickpeerNode Node, TableRegistry Tables) Build(StickpeerConfiguration configuration, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var registry = new TableRegistry();
        var replicas = new Dictionary<string, StickTableReplica>(StringComparer.Ordinal);
        foreach (var definition in configuration.Tables)
        {
            var table = StickTable.Create(definition.Declaration, definition.LocalName, definition.WireName, new StickTableOptions
            {
                TimeProvider = time,
                Logger = loggers.CreateLogger("Stickpeer.Tables"),
            });
            if (!registry.TryAdd(table))
            {
                throw new ConfigurationException(definition.Location, $"table '{definition.LocalName}' is declared twice");
            }

        }

        foreach (var definition in configuration.Tables)
        {
            registry.TryGetByLocalName(definition.LocalName, out var table);
            replicas[definition.LocalName] = new StickTableReplica(table!) { WriteTarget = WriteTarget(definition, configuration, registry) };
        }

        var node = StickpeerNode.Create(configuration, d => replicas[d.LocalName], time, loggers);
        return (node, registry);
    }

    /// <summary>The table a <c>write-to</c> names, checked as HAProxy checks it (same key type and size, not itself a source).</summary>
    private static StickTable? WriteTarget(TableDefinition definition, StickpeerConfiguration configuration, TableRegistry registry)
    {
        if (definition.Declaration.WriteTo is not { } name)
        {
            return null;
        }

        if (!registry.TryGetByLocalName(name, out var target))
        {
            throw new ConfigurationException(definition.Location, $"table '{definition.LocalName}': write-to table '{name}' not found");
        }

        var source = registry.TryGetByLocalName(definition.LocalName, out var s) ? s : null;
        if (ReferenceEquals(source, target))
        {
            throw new ConfigurationException(definition.Location, $"table '{definition.LocalName}': write-to cannot name the table itself");
        }

        if (configuration.Tables.Any(t => t.LocalName == name && t.Declaration.WriteTo is not null))
        {
            throw new ConfigurationException(definition.Location, $"table '{definition.LocalName}': write-to table '{name}' has a write-to of its own");
        }

        if (target.KeyType != source!.KeyType || target.Schema.KeySize != source.Schema.KeySize)
        {
            throw new ConfigurationException(definition.Location, $"table '{definition.LocalName}': write-to table '{name}' has another key type or length");
        }

        return target;
    }
}
