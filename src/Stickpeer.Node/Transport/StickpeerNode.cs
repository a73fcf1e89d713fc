// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Replication;

namespace Stickpeer.Node.Transport;

/// <summary>
/// A whole node built from a configuration: one <see cref="PeerNode"/> per enabled peers section,
/// its tables, and the <see cref="NodeHost"/> that runs them over sockets (or the transport given).
/// </summary>
public sealed class StickpeerNode : IAsyncDisposable
{
    private StickpeerNode(StickpeerConfiguration configuration, NodeHost host, IReadOnlyDictionary<string, PeerNode> sections, IReadOnlyDictionary<string, IReplicatedTable> tables)
    {
        Configuration = configuration;
        Host = host;
        Sections = sections;
        Tables = tables;
    }

    public StickpeerConfiguration Configuration { get; }

    public NodeHost Host { get; }

    /// <summary>The data directory the tables are kept in (null without persistence); closed after the host stops.</summary>
    public Persistence.NodePersistence? Persistence { get; internal set; }

    /// <summary>The <see cref="PeerNode"/> of each enabled peers section, by section name.</summary>
    public IReadOnlyDictionary<string, PeerNode> Sections { get; }

    /// <summary>Replicated tables by local name (<c>section/name</c> or proxy name).</summary>
    public IReadOnlyDictionary<string, IReplicatedTable> Tables { get; }

    /// <summary>
    /// Builds the node; <paramref name="tableFactory"/> creates the table behind each declaration and
    /// <paramref name="sweep"/> (if any) removes expired entries, run by the host under its lock once a second.
    /// <see cref="Composition.NodeBuilder"/> does both for the engine's tables.
    /// </summary>
    public static StickpeerNode Create(
        StickpeerConfiguration configuration,
        Func<TableDefinition, IReplicatedTable> tableFactory,
        TimeProvider time,
        ILoggerFactory loggers,
        IMeterFactory? meters = null,
        Func<PeerNodeOptions, PeerNodeOptions>? tuneOptions = null,
        IPeerTransport? transport = null,
        Action? sweep = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(tableFactory);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggers);
        var sections = new Dictionary<string, PeerNode>(StringComparer.Ordinal);
        var tables = new Dictionary<string, IReplicatedTable>(StringComparer.Ordinal);
        var nodes = new List<(PeersSectionDefinition, PeerNode)>();
        foreach (var section in configuration.PeersSections.Where(s => !s.Disabled))
        {
            var sectionTables = new List<IReplicatedTable>();
            foreach (var definition in section.Tables)
            {
                var table = tableFactory(definition);
                tables[definition.LocalName] = table;
                sectionTables.Add(table);
            }

            var options = new PeerNodeOptions
            {
                LocalPeerName = configuration.LocalPeerName,
                RemotePeers = section.RemotePeers.Select(p => p.Name).ToList(),
            };
            options = configuration.Limits.Apply(options);
            options = tuneOptions?.Invoke(options) ?? options;
            var node = new PeerNode(options, sectionTables, time, loggers, Random.Shared);
            sections[section.Name] = node;
            nodes.Add((section, node));
        }

        var host = new NodeHost(nodes, time, loggers.CreateLogger("Stickpeer.Node.Transport"), meters is null ? TransportMetrics.Shared : new TransportMetrics(meters), transport: transport, sweep: sweep);
        return new StickpeerNode(configuration, host, sections, tables);
    }

    public void Start() => Host.Start();

    public Task StopAsync(TimeSpan timeout) => Host.StopAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (Persistence is { } persistence)
        {
            await persistence.DisposeAsync();
        }
    }
}
