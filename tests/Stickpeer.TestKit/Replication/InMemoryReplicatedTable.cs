// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;

namespace Stickpeer.TestKit.Replication;

/// <summary>
/// A small, obviously-correct stick table for node-core tests: entries keyed by canonical
/// key bytes, one 32-bit update counter, local changes visible to <see cref="TryReadLocalChange"/>
/// and learned entries filed 2^31 away (never pushed), as HAProxy does (spec §5.4).
/// Linear scans everywhere: meant for hundreds of entries, not millions.
/// </summary>
public sealed class InMemoryReplicatedTable : IReplicatedTable
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private uint _counter;
    private uint _learnedCounter;

    /// <summary>Creates a table with <paramref name="schema"/>; the first local change gets id <paramref name="initialUpdateId"/> + 1.</summary>
    public InMemoryReplicatedTable(TableSchema schema, uint initialUpdateId = 0)
    {
        Schema = schema;
        _counter = initialUpdateId;
        NewestLocalUpdateId = initialUpdateId;
    }

    /// <summary>A string-keyed table (key size 32) named <paramref name="name"/> storing gpc0 and server_id.</summary>
    public static InMemoryReplicatedTable CreateStringGpc0(string name = "stkt") =>
        new(new TableSchema(name, StickKeyType.String, 32, 60_000, [new DataTypeSpec(StickDataType.ServerId, 1, 0), new DataTypeSpec(StickDataType.Gpc0, 1, 0)]));

    /// <inheritdoc />
    public TableSchema Schema { get; }

    /// <summary>Pretends the table was loaded from a data directory (see <see cref="IReplicatedTable.RestoredFromDisk"/>).</summary>
    public bool RestoredFromDisk { get; set; }

    /// <inheritdoc />
    public uint NewestLocalUpdateId { get; private set; }

    /// <inheritdoc />
    public long LocalChangeMark { get; private set; }

    /// <summary>Number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Lesson updates refused because the key changed locally after the lesson started.</summary>
    public long KeptLocal { get; private set; }

    /// <summary>Remote updates applied.</summary>
    public long RemoteApplied { get; private set; }

    /// <summary>Every key (as UTF-8/Latin-1 text).</summary>
    public IEnumerable<string> Keys => _entries.Values.Select(e => Encoding.Latin1.GetString(e.Key));

    /// <summary>A local change: sets gpc0 of a string key (traffic or <c>set table</c>).</summary>
    public void SetLocal(string key, ulong gpc0) => SetLocal(Encoding.ASCII.GetBytes(key), StickDataType.Gpc0, gpc0);

    /// <summary>A local change: sets one integer value of an entry and gives it a new local update id.</summary>
    public void SetLocal(byte[] key, StickDataType type, ulong value)
    {
        var e = GetOrAdd(key);
        var slots = e.Values.Of(type);
        if (slots.IsEmpty)
        {
            throw new ArgumentException($"table does not store {type}", nameof(type));
        }

        slots[0].Number = value;
        _counter = unchecked(_counter + 1);
        e.UpdateId = _counter;
        e.Local = true;
        e.LocalSequence = ++LocalChangeMark;
        NewestLocalUpdateId = _counter;
    }

    /// <summary>gpc0 of a string key, or null when absent.</summary>
    public ulong? GetGpc0(string key) => TryGetNumber(Encoding.ASCII.GetBytes(key), StickDataType.Gpc0, out var v) ? v : null;

    /// <summary>Reads one integer value.</summary>
    public bool TryGetNumber(byte[] key, StickDataType type, out ulong value)
    {
        value = 0;
        if (!_entries.TryGetValue(Convert.ToHexString(key), out var e) || e.Values.Of(type).IsEmpty)
        {
            return false;
        }

        value = e.Values.Of(type)[0].Number;
        return true;
    }

    /// <summary>Removes every entry (not replicated, like HAProxy's <c>clear table</c>).</summary>
    public void Clear() => _entries.Clear();

    /// <inheritdoc />
    public bool TryReadLocalChange(uint afterId, DecodedUpdate into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var window = unchecked(NewestLocalUpdateId - afterId);
        Entry? best = null;
        var bestDistance = uint.MaxValue;
        foreach (var e in _entries.Values)
        {
            if (!e.Local)
            {
                continue;
            }

            var d = unchecked(e.UpdateId - afterId);
            if (d != 0 && d <= window && d < bestDistance)
            {
                best = e;
                bestDistance = d;
            }
        }

        if (best is null)
        {
            return false;
        }

        Fill(best, into);
        return true;
    }

    /// <inheritdoc />
    public ITableTeachCursor StartTeach() => new Cursor(this, [.. _entries.Keys]);

    /// <inheritdoc />
    public RemoteApplyResult ApplyRemote(DecodedUpdate update, long? preserveLocalChangesAfter)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (preserveLocalChangesAfter is { } mark
            && _entries.TryGetValue(Convert.ToHexString(update.Key), out var existing)
            && existing.Local && existing.LocalSequence > mark)
        {
            KeptLocal++;
            return RemoteApplyResult.KeptLocalNewer;
        }

        var e = GetOrAdd(update.Key.ToArray());
        foreach (var spec in Schema.DataTypes)
        {
            var from = update.Values.Of(spec.Type);
            var to = e.Values.Of(spec.Type);
            var n = Math.Min(from.Length, to.Length);
            from[..n].CopyTo(to);
        }

        // Learned entries take ids outside the local window; local ids and marks advance in step.
        _learnedCounter = unchecked(_learnedCounter + 1);
        e.UpdateId = unchecked(_counter + _learnedCounter + 0x80000000u);
        e.Local = false;
        RemoteApplied++;
        return RemoteApplyResult.Applied;
    }

    private Entry GetOrAdd(byte[] key)
    {
        var hex = Convert.ToHexString(key);
        if (!_entries.TryGetValue(hex, out var e))
        {
            e = new Entry(key, new EntryValues(Schema));
            _entries[hex] = e;
        }

        return e;
    }

    private void Fill(Entry e, DecodedUpdate into)
    {
        into.SetKey(e.Key);
        into.UpdateId = e.UpdateId;
        into.HasExpire = true;
        into.ExpireMs = Schema.ExpireMs;
        e.Values.Slots.CopyTo(into.Values.Slots);
    }

    private sealed class Entry(byte[] key, EntryValues values)
    {
        public byte[] Key { get; } = key;

        public EntryValues Values { get; } = values;

        public uint UpdateId { get; set; }

        public bool Local { get; set; }

        public long LocalSequence { get; set; }
    }

    private sealed class Cursor(InMemoryReplicatedTable table, string[] keys) : ITableTeachCursor
    {
        private int _next;

        public bool TryReadNext(DecodedUpdate into)
        {
            while (_next < keys.Length)
            {
                if (table._entries.TryGetValue(keys[_next++], out var e))
                {
                    table.Fill(e, into);
                    return true;
                }
            }

            return false;
        }
    }
}
