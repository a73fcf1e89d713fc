// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Keys;

namespace Stickpeer.Node.Embedding;

/// <summary>A copy of one entry taken at one instant (it does not change afterwards).</summary>
public sealed class TableEntry
{
    private readonly StickTable _table;
    private readonly StickEntrySnapshot _snapshot;

    internal TableEntry(StickTable table, StickEntrySnapshot snapshot)
    {
        _table = table;
        _snapshot = snapshot;
        Key = StickKeyText.Format(table.KeyType, snapshot.Key);
    }

    /// <summary>The key as <c>show table</c> prints it.</summary>
    public string Key { get; }

    /// <summary>Time left before the entry expires (null when the table has no <c>expire</c>).</summary>
    public TimeSpan? ExpiresIn => _snapshot.HasExpiry ? TimeSpan.FromMilliseconds(_snapshot.ExpireMs) : null;

    /// <summary>True when the last change came from a peer.</summary>
    public bool IsLearned => _snapshot.IsLearned;

    /// <summary>True when the table stores <paramref name="type"/>.</summary>
    public bool Stores(StickDataType type) => _table.Schema.Stores(type);

    /// <summary>A numeric value as HAProxy's <c>show table</c> reports it (rates: the rate over their period when the copy was taken).</summary>
    /// <exception cref="ArgumentException">The table does not store <paramref name="type"/>, or it is <c>server_key</c>.</exception>
    public long GetValue(StickDataType type, int index = 0)
    {
        StickpeerTable.EnsureNumeric(_table, type);
        return _table.ValueOf(_snapshot, type, index);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{_table.Name} {Key}";
}
