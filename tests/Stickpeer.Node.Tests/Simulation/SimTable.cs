// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// A small in-memory stick table implementing <see cref="IReplicatedTable"/> with HAProxy's
/// update-id rules (spec §5.4): one 32-bit counter (optionally started near the wrap), a
/// local change moves the entry to a new id, a learned change is filed half the id space
/// away and is never returned as a local change, a lesson walks every entry. Frequency
/// counters follow HAProxy's rotation. Used until the Stickpeer.Tables engine is bound.
/// </summary>
internal sealed class SimTable : IReplicatedTable
{
    private readonly TimeProvider _time;
    private readonly Dictionary<byte[], Entry> _entries = new(SimKeyComparer.Instance);
    private readonly SortedSet<uint> _localIds = [];
    private readonly Dictionary<uint, Entry> _byLocalId = [];
    private uint _counter;
    private long _mark;

    public SimTable(TableSchema schema, TimeProvider time, uint firstId = 0)
    {
        Schema = schema;
        _time = time;
        _counter = firstId;
        NewestLocalUpdateId = firstId;
    }

    public TableSchema Schema { get; }

    public uint NewestLocalUpdateId { get; private set; }

    public long LocalChangeMark => _mark;

    public int Count => _entries.Count;

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public void Apply(SimWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var e = GetOrAdd(write.Key);
        var slots = e.Values.Of(write.Type);
        ref var slot = ref slots[write.Index];
        switch (write.Kind)
        {
            case SimWriteKind.SetNumber:
                slot.Number = write.Value;
                break;
            case SimWriteKind.Increment:
                slot.Number = Schema.TryGet(write.Type, out var spec) && spec.Info.Encoding == DataEncoding.UnsignedInt
                    ? (uint)(slot.Number + write.Value)
                    : slot.Number + write.Value;
                break;
            case SimWriteKind.RateHit:
                Schema.TryGet(write.Type, out var rate);
                Hit(e, write.Type, write.Index, rate.PeriodMs, (uint)write.Value);
                break;
            case SimWriteKind.SetText:
                slot.Text = write.Text;
                break;
        }

        if (e.Local)
        {
            _localIds.Remove(e.Id);
            _byLocalId.Remove(e.Id);
        }

        e.Id = ++_counter;
        e.Local = true;
        e.LocalMark = ++_mark;
        _localIds.Add(e.Id);
        _byLocalId[e.Id] = e;
        NewestLocalUpdateId = e.Id;
    }

    public string? Read(ReadOnlySpan<byte> key) =>
        _entries.TryGetValue(key.ToArray(), out var e) ? SimCanonical.Render(e.Values) : null;

    public IEnumerable<(byte[] Key, string Values)> All() => _entries.Values.Select(e => (e.Key, SimCanonical.Render(e.Values)));

    public bool TryReadLocalChange(uint afterId, DecodedUpdate into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var newest = NewestLocalUpdateId;
        if (_localIds.Count == 0 || afterId == newest)
        {
            return false;
        }

        uint? found = null;
        if (afterId < newest)
        {
            found = First(afterId + 1, newest);
        }
        else
        {
            if (afterId != uint.MaxValue)
            {
                found = First(afterId + 1, uint.MaxValue);
            }

            found ??= First(0, newest);
        }

        if (found is not { } id)
        {
            return false;
        }

        Fill(_byLocalId[id], into);
        return true;
    }

    public ITableTeachCursor StartTeach() => new Cursor(this, [.. _entries.Keys]);

    public RemoteApplyResult ApplyRemote(DecodedUpdate update, long? preserveLocalChangesAfter)
    {
        ArgumentNullException.ThrowIfNull(update);
        var e = GetOrAdd(update.Key.ToArray());
        if (preserveLocalChangesAfter is { } mark && e.Local && e.LocalMark > mark)
        {
            return RemoteApplyResult.KeptLocalNewer;
        }

        var now = NowMs;
        foreach (var spec in Schema.DataTypes)
        {
            if (spec.Info.IsLocalOnly)
            {
                continue;
            }

            var src = update.Values.Of(spec.Type);
            var dst = e.Values.Of(spec.Type);
            for (var i = 0; i < Math.Min(src.Length, dst.Length); i++)
            {
                dst[i] = src[i];
                if (spec.Info.HasPeriod)
                {
                    e.RateTick[(spec.Type, i)] = now - src[i].AgeMs;
                }
            }
        }

        if (e.Local)
        {
            _localIds.Remove(e.Id);
            _byLocalId.Remove(e.Id);
            e.Local = false;
        }

        e.Id = unchecked(++_counter + 0x80000000u);
        return RemoteApplyResult.Applied;
    }

    private uint? First(uint from, uint to)
    {
        var view = _localIds.GetViewBetween(from, to);
        return view.Count > 0 ? view.Min : null;
    }

    private Entry GetOrAdd(byte[] key)
    {
        if (!_entries.TryGetValue(key, out var e))
        {
            _entries[key] = e = new Entry(key, new EntryValues(Schema));
        }

        return e;
    }

    private void Hit(Entry e, StickDataType type, int index, uint period, uint n)
    {
        ref var slot = ref e.Values.Of(type)[index];
        var now = NowMs;
        var tick = e.RateTick.GetValueOrDefault((type, index));
        if (tick == 0 && slot.Current == 0 && slot.Previous == 0)
        {
            tick = now;
            slot.Current = n;
        }
        else if (now - tick < period)
        {
            slot.Current += n;
        }
        else
        {
            slot.Previous = slot.Current;
            slot.Current = n;
            tick += period;
            if (now - tick >= period)
            {
                slot.Previous = 0;
                tick = now;
            }
        }

        e.RateTick[(type, index)] = tick;
    }

    private void Fill(Entry e, DecodedUpdate into)
    {
        into.SetKey(e.Key);
        into.UpdateId = e.Id;
        into.HasExpire = true;
        into.ExpireMs = Schema.ExpireMs;
        var now = NowMs;
        e.Values.Slots.CopyTo(into.Values.Slots);
        foreach (var spec in Schema.DataTypes)
        {
            if (!spec.Info.HasPeriod)
            {
                continue;
            }

            var slots = into.Values.Of(spec.Type);
            for (var i = 0; i < slots.Length; i++)
            {
                var tick = e.RateTick.GetValueOrDefault((spec.Type, i));
                slots[i].AgeMs = tick == 0 ? (uint)(2 * spec.PeriodMs) : (uint)Math.Min(now - tick, uint.MaxValue);
            }
        }
    }

    private sealed class Entry(byte[] key, EntryValues values)
    {
        public byte[] Key { get; } = key;

        public EntryValues Values { get; } = values;

        public Dictionary<(StickDataType, int), long> RateTick { get; } = [];

        public uint Id { get; set; }

        public bool Local { get; set; }

        public long LocalMark { get; set; }
    }

    private sealed class Cursor(SimTable table, List<byte[]> keys) : ITableTeachCursor
    {
        private int _next;

        public bool TryReadNext(DecodedUpdate into)
        {
            while (_next < keys.Count)
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
