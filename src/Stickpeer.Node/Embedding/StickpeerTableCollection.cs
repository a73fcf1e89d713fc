// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Stickpeer.Node.Embedding;

/// <summary>
/// The tables of an embedded node, by local name (<c>section/name</c>, or the proxy's name). A table of a
/// peers section is also found by its short name when no other section has a table of that name.
/// </summary>
public sealed class StickpeerTableCollection : IReadOnlyCollection<StickpeerTable>
{
    private readonly List<StickpeerTable> _tables;
    private readonly Dictionary<string, StickpeerTable> _byName = new(StringComparer.Ordinal);

    internal StickpeerTableCollection(List<StickpeerTable> tables)
    {
        _tables = tables;
        foreach (var table in tables)
        {
            _byName[table.Name] = table;
        }

        var shortNames = tables
            .Where(t => t.Name.Contains('/', StringComparison.Ordinal))
            .GroupBy(t => t.Name[(t.Name.IndexOf('/', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal)
            .Where(g => g.Count() == 1);
        foreach (var group in shortNames)
        {
            _byName.TryAdd(group.Key, group.First());
        }
    }

    /// <inheritdoc/>
    public int Count => _tables.Count;

    /// <summary>The table named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such table (the message lists the tables).</exception>
    public StickpeerTable this[string name] => TryGet(name, out var table)
        ? table
        : throw new KeyNotFoundException($"no table '{name}' (tables: {string.Join(", ", _tables.Select(t => t.Name))})");

    /// <summary>Finds a table by name.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out StickpeerTable? table)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out table);
    }

    /// <inheritdoc/>
    public IEnumerator<StickpeerTable> GetEnumerator() => _tables.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
