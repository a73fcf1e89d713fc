// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Admin.Tables;

/// <summary>
/// The tables of a node, found by local name (<c>show table NAME</c>: the proxy name or
/// <c>section/table</c>) and by network name (the name in DEFINE messages).
/// </summary>
public sealed class TableRegistry
{
    private readonly ConcurrentDictionary<string, StickTable> _byLocal = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StickTable> _byNetwork = new(StringComparer.Ordinal);
    private readonly List<StickTable> _ordered = [];
    private readonly Lock _gate = new();

    /// <summary>A registry of <paramref name="tables"/> (e.g. a built node's), which must have distinct names.</summary>
    public static TableRegistry Of(IEnumerable<StickTable> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var registry = new TableRegistry();
        foreach (var table in tables)
        {
            if (!registry.TryAdd(table))
            {
                throw new ArgumentException($"table '{table.Name}' is registered twice", nameof(tables));
            }
        }

        return registry;
    }

    /// <summary>All tables in registration order.</summary>
    public IReadOnlyList<StickTable> Tables
    {
        get
        {
            lock (_gate)
            {
                return _ordered.ToArray();
            }
        }
    }

    /// <summary>Adds a table. False when its local or network name is already taken.</summary>
    public bool TryAdd(StickTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        lock (_gate)
        {
            if (_byLocal.ContainsKey(table.Name) || _byNetwork.ContainsKey(table.Schema.Name))
            {
                return false;
            }

            _byLocal[table.Name] = table;
            _byNetwork[table.Schema.Name] = table;
            _ordered.Add(table);
            return true;
        }
    }

    /// <summary>Finds a table by its local name.</summary>
    public bool TryGetByLocalName(string name, [NotNullWhen(true)] out StickTable? table) => _byLocal.TryGetValue(name, out table);

    /// <summary>Finds a table by its network name.</summary>
    public bool TryGetByNetworkName(string name, [NotNullWhen(true)] out StickTable? table) => _byNetwork.TryGetValue(name, out table);

    /// <summary>Sweeps expired entries of every table (call periodically, e.g. once a second).</summary>
    public int SweepAll()
    {
        var n = 0;
        foreach (var t in Tables)
        {
            n += t.Sweep();
        }

        return n;
    }
}
