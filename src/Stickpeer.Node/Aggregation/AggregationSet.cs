// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Replication;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Node.Aggregation;

/// <summary>
/// Every aggregation rule of a configuration, checked and built over the node's tables (see
/// <see cref="AggregationValidator"/>): the internal contribution tables (persisted with the others),
/// the wrapping of source tables, and the once-a-second sweep.
/// </summary>
public sealed class AggregationSet
{
    private readonly Dictionary<string, List<(Aggregator Rule, int Source)>> _bySource = new(StringComparer.Ordinal);

    private AggregationSet(IReadOnlyList<Aggregator> rules)
    {
        Rules = rules;
        foreach (var rule in rules)
        {
            for (var i = 0; i < rule.Sources.Count; i++)
            {
                var name = rule.Sources[i].Name;
                if (!_bySource.TryGetValue(name, out var list))
                {
                    _bySource[name] = list = [];
                }

                list.Add((rule, i));
            }
        }
    }

    /// <summary>The rules, in configuration order.</summary>
    public IReadOnlyList<Aggregator> Rules { get; }

    /// <summary>Every contribution table of every rule.</summary>
    public IEnumerable<StickTable> ContributionTables => Rules.SelectMany(r => r.ContributionTables);

    /// <summary>
    /// Checks the configuration's rules against its tables (errors name the rule's <c>file:line</c>)
    /// and builds them; an empty set when there are none.
    /// </summary>
    public static AggregationSet Create(StickpeerConfiguration configuration, IReadOnlyDictionary<string, StickTable> tables, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(tables);
        AggregationValidator.Validate(configuration, tables);
        var rules = new List<Aggregator>();
        foreach (var definition in configuration.Aggregates)
        {
            var section = configuration.PeersSections.First(s => s.Name == definition.PeersSection);
            var peers = section.RemotePeers.Select(p => p.Name).ToList();
            var sources = definition.SourceLocalNames.Select(n => tables[n]).ToList();
            var contributions = sources.Select(s => peers.Select(p => new StickTable($"{s.Name}@{p}", s.Schema, s.Size, s.NoPurge, new StickTableOptions
            {
                TimeProvider = time,
                Logger = loggers.CreateLogger("Stickpeer.Tables"),
            })).ToArray()).ToArray();
            rules.Add(new Aggregator(tables[definition.OutputLocalName], sources, peers, contributions, time));
        }

        return new AggregationSet(rules);
    }

    /// <summary>The table the node should replicate for <paramref name="localName"/>: source tables are wrapped.</summary>
    public IReplicatedTable Wrap(string localName, IReplicatedTable table) =>
        _bySource.TryGetValue(localName, out var rules) ? new AggregateSourceReplica(table, rules) : table;

    /// <summary>After loading the data directory: every restored contribution is checked for expiry again.</summary>
    public void ScheduleRestored()
    {
        foreach (var rule in Rules)
        {
            rule.ScheduleRestored();
        }
    }

    /// <summary>Drops expired contributions and recomputes the keys that lost one (under the node's lock).</summary>
    public void Sweep()
    {
        foreach (var rule in Rules)
        {
            foreach (var table in rule.ContributionTables)
            {
                table.Sweep();
            }

            rule.Sweep();
        }
    }
}
