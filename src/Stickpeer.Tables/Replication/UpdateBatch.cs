// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Tables.Replication;

/// <summary>
/// A reusable batch of entries to push (filled by <see cref="Engine.StickTable.CollectLocalChanges"/>
/// or <see cref="Engine.StickTable.CollectAll"/>): for each, the update id, canonical key, values
/// in the table's own schema (rate ages relative to the collection time) and remaining expire.
/// Allocated once per (session, table); collecting into it allocates nothing.
/// </summary>
public sealed class UpdateBatch
{
    private readonly uint[] _ids;
    private readonly byte[] _keys;
    private readonly int[] _keyLengths;
    private readonly EntryValues[] _values;
    private readonly uint[] _expires;
    private readonly bool[] _learned;
    private readonly int _keyStride;

    /// <summary>Creates a batch for <paramref name="schema"/> holding up to <paramref name="capacity"/> entries.</summary>
    public UpdateBatch(TableSchema schema, int capacity = 128)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Schema = schema;
        Capacity = capacity;
        _keyStride = Math.Max(schema.KeySize, 4);
        _ids = new uint[capacity];
        _keys = new byte[capacity * _keyStride];
        _keyLengths = new int[capacity];
        _expires = new uint[capacity];
        _learned = new bool[capacity];
        _values = new EntryValues[capacity];
        for (var i = 0; i < capacity; i++)
        {
            _values[i] = new EntryValues(schema);
        }
    }

    /// <summary>The schema of the values (the table's own).</summary>
    public TableSchema Schema { get; }

    /// <summary>Maximum entries per collection.</summary>
    public int Capacity { get; }

    /// <summary>Entries in the batch.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// After <see cref="Engine.StickTable.CollectLocalChanges"/>: the id to pass as <c>afterId</c>
    /// next time (the last id returned when the batch was full, else the newest local id seen).
    /// </summary>
    public uint NextAfterId { get; internal set; }

    /// <summary>True when the collection stopped because the batch was full.</summary>
    public bool MayHaveMore { get; internal set; }

    /// <summary>The update id of entry <paramref name="index"/> (learned entries during a teach: local id + 2^31, like HAProxy).</summary>
    public uint GetUpdateId(int index) => _ids[CheckIndex(index)];

    /// <summary>The canonical key bytes of entry <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> GetKey(int index) => _keys.AsSpan(CheckIndex(index) * _keyStride, _keyLengths[index]);

    /// <summary>The values of entry <paramref name="index"/> in <see cref="Schema"/> order.</summary>
    public EntryValues GetValues(int index) => _values[CheckIndex(index)];

    /// <summary>Remaining lifetime in ms (0 when the table has no expire), for timed updates.</summary>
    public uint GetExpireMs(int index) => _expires[CheckIndex(index)];

    /// <summary>True when the entry's last change was learned from a peer.</summary>
    public bool IsLearned(int index) => _learned[CheckIndex(index)];

    /// <summary>Empties the batch.</summary>
    public void Clear()
    {
        Count = 0;
        MayHaveMore = false;
    }

    internal bool IsFull => Count == Capacity;

    /// <summary>Reserves the next position; the caller fills it through the returned parts.</summary>
    internal int Append(uint id, ReadOnlySpan<byte> key, uint expireMs, bool learned)
    {
        var i = Count++;
        _ids[i] = id;
        key.CopyTo(_keys.AsSpan(i * _keyStride, _keyStride));
        _keyLengths[i] = key.Length;
        _expires[i] = expireMs;
        _learned[i] = learned;
        return i; // the caller fills every value slot
    }

    private int CheckIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return index;
    }
}
