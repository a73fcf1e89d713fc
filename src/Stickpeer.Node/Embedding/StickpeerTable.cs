// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Stickpeer.Node.Transport;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Keys;

namespace Stickpeer.Node.Embedding;

/// <summary>
/// One replicated table of an embedded node. Every write is a local change: it is pushed to every
/// connected peer right away, as a write by HAProxy's own traffic would be. Keys are text as in
/// <c>set table … key &lt;key&gt;</c> (or an <see cref="IPAddress"/> for <c>ip</c>/<c>ipv6</c> tables).
/// Safe to call from any thread.
/// </summary>
public sealed class StickpeerTable
{
    private readonly StickTable _table;
    private readonly NodeHost _host;

    internal StickpeerTable(StickTable table, NodeHost host)
    {
        _table = table;
        _host = host;
    }

    /// <summary>The local name (<c>section/name</c>, HAProxy's name for it too, or the proxy's name).</summary>
    public string Name => _table.Name;

    /// <summary>The key type.</summary>
    public StickKeyType KeyType => _table.KeyType;

    /// <summary>The wire schema (name announced to peers, key size, expire, stored data types).</summary>
    public TableSchema Schema => _table.Schema;

    /// <summary>Live entries now.</summary>
    public long Count => _table.Count;

    /// <summary>
    /// Adds <paramref name="amount"/> to one counter, creating the entry when new, like HAProxy's <c>sc-inc-gpc0</c>:
    /// a counter's rate companion (gpc0 → gpc0_rate, http_req_cnt → http_req_rate, …) moves with it. Returns
    /// <see cref="LocalUpdateStatus.Created"/>, <see cref="LocalUpdateStatus.Updated"/> or <see cref="LocalUpdateStatus.TableFull"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not a key of this table, or the table does not store the type as a number.</exception>
    public LocalUpdateStatus Increment(TableKey key, StickDataType type, long amount = 1, int index = 0)
    {
        var k = Parse(key);
        EnsureNumeric(_table, type);
        return Checked(_host.Invoke(() => _table.Increment(k, type, index, amount)), type, index);
    }

    /// <summary>Stores one value (<c>set table … data.&lt;type&gt; &lt;value&gt;</c>), creating the entry when new; array types: use <see cref="Set(TableKey, DataAssignment[])"/>.</summary>
    /// <exception cref="ArgumentException">The key is not a key of this table, or the table does not store the type as a number.</exception>
    public LocalUpdateStatus Set(TableKey key, StickDataType type, long value) => Set(key, [new DataAssignment(type, 0, value)]);

    /// <summary>Stores several values at once (all or none), creating the entry when new.</summary>
    /// <exception cref="ArgumentException">The key is not a key of this table, or a value does not fit the table.</exception>
    public LocalUpdateStatus Set(TableKey key, params DataAssignment[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var k = Parse(key);
        foreach (var value in values)
        {
            if (!_table.Schema.Stores(value.Type))
            {
                throw new ArgumentException($"table '{Name}' does not store {value.Type} (it stores: {_table.Schema})", nameof(values));
            }
        }

        return Checked(_host.Invoke(() => _table.Set(k, values)), values.Length > 0 ? values[0].Type : StickDataType.Gpt0, values.Length > 0 ? values[0].Index : 0);
    }

    /// <summary>Copies the entry of <paramref name="key"/>; false when it is absent or expired.</summary>
    /// <exception cref="ArgumentException">The key is not a key of this table.</exception>
    public bool TryGet(TableKey key, [NotNullWhen(true)] out TableEntry? entry)
    {
        entry = _table.TryGetSnapshot(Parse(key), out var snapshot) ? new TableEntry(_table, snapshot) : null;
        return entry is not null;
    }

    /// <summary>Reads one numeric value (rates: the current rate); false when the key is absent or expired.</summary>
    /// <exception cref="ArgumentException">The key is not a key of this table, or the table does not store the type as a number.</exception>
    public bool TryGetValue(TableKey key, StickDataType type, out long value, int index = 0)
    {
        var k = Parse(key);
        EnsureNumeric(_table, type);
        return _table.TryGetValue(k, type, index, out value);
    }

    /// <summary>
    /// Removes the entry on this node only, like <c>clear table … key</c>: the peers protocol has no delete,
    /// so peers keep their copy until it expires there. True when it was removed.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not a key of this table.</exception>
    public bool Remove(TableKey key)
    {
        var k = Parse(key);
        return _host.Invoke(() => _table.Remove(k)) == RemoveResult.Removed;
    }

    /// <summary>Copies every live entry (a consistent copy per entry, not of the whole table).</summary>
    public IReadOnlyList<TableEntry> Snapshot() => [.. _table.Enumerate().Select(s => new TableEntry(_table, s))];

    /// <inheritdoc/>
    public override string ToString() => Name;

    internal static void EnsureNumeric(StickTable table, StickDataType type)
    {
        if (!table.Schema.Stores(type))
        {
            throw new ArgumentException($"table '{table.Name}' does not store {type} (it stores: {table.Schema})", nameof(type));
        }

        if (type == StickDataType.ServerKey)
        {
            throw new ArgumentException($"{type} is text, not a number", nameof(type));
        }
    }

    private LocalUpdateStatus Checked(LocalUpdateStatus status, StickDataType type, int index) => status switch
    {
        LocalUpdateStatus.IndexOutOfRange => throw new ArgumentException($"table '{Name}': index {index} of {type} is out of range", nameof(index)),
        LocalUpdateStatus.WrongValueKind => throw new ArgumentException($"table '{Name}': {type} does not take this kind of value", nameof(type)),
        LocalUpdateStatus.NotStored => throw new ArgumentException($"table '{Name}' does not store {type}", nameof(type)),
        LocalUpdateStatus.InvalidKey => throw new ArgumentException($"not a key of table '{Name}' ({KeyType})", nameof(status)),
        _ => status,
    };

    private byte[] Parse(TableKey key)
    {
        if (key.Address is { } address)
        {
            return Parse(address);
        }

        var text = key.Text ?? throw new ArgumentException("empty TableKey", nameof(key));
        return StickKeyText.TryParse(_table.KeyType, _table.Schema.KeySize, text)
            ?? throw new ArgumentException($"'{text}' is not a key of table '{Name}' (type {KeyType})", nameof(key));
    }

    private byte[] Parse(IPAddress key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return KeyType switch
        {
            // A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d; HAProxy's ip tables key them by the IPv4 address.
            StickKeyType.IPv4 when key.AddressFamily == AddressFamily.InterNetwork => key.GetAddressBytes(),
            StickKeyType.IPv4 when key.IsIPv4MappedToIPv6 => key.MapToIPv4().GetAddressBytes(),
            StickKeyType.IPv6 => key.MapToIPv6().GetAddressBytes(),
            _ => throw new ArgumentException($"{key} is not a key of table '{Name}' (type {KeyType})", nameof(key)),
        };
    }
}
