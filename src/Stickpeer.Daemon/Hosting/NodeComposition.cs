// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Replication;
using Stickpeer.Node.Transport;
using Stickpeer.Tables.Admin;
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

            replicas[definition.LocalName] = new StickTableReplica(table);
        }

        var node = StickpeerNode.Create(configuration, d => replicas[d.LocalName], time, loggers);
        return (node, registry);
    }
}
