// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Tables.Engine;

/// <summary>Reading and writing one entry's values (caller holds the shard lock).</summary>
public sealed partial class StickTable
{
    /// <summary>The rate type HAProxy updates together with a counter (gpc0 → gpc0_rate, …), if any.</summary>
    internal static StickDataType? CompanionRate(StickDataType counter) => counter switch
    {
        StickDataType.Gpc0 => StickDataType.Gpc0Rate,
        StickDataType.Gpc1 => StickDataType.Gpc1Rate,
        StickDataType.ConnCnt => StickDataType.ConnRate,
        StickDataType.SessCnt => StickDataType.SessRate,
        StickDataType.HttpReqCnt => StickDataType.HttpReqRate,
        StickDataType.HttpErrCnt => StickDataType.HttpErrRate,
        StickDataType.BytesInCnt => StickDataType.BytesInRate,
        StickDataType.BytesOutCnt => StickDataType.BytesOutRate,
        StickDataType.HttpFailCnt => StickDataType.HttpFailRate,
        StickDataType.Gpc => StickDataType.GpcRate,
        StickDataType.GlitchCnt => StickDataType.GlitchRate,
        _ => null,
    };

    private LocalUpdateStatus Validate(StickDataType type, int index, bool numeric)
    {
        if ((uint)type >= DataTypeCatalogue.Count || !Layout.Stores(type))
        {
            return LocalUpdateStatus.NotStored;
        }

        if ((uint)index >= (uint)Layout.LengthOf(type))
        {
            return LocalUpdateStatus.IndexOutOfRange;
        }

        var isText = DataTypeCatalogue.Get(type).Encoding == DataEncoding.Dictionary;
        return isText == numeric ? LocalUpdateStatus.WrongValueKind : LocalUpdateStatus.Updated;
    }

    private void AddCore(TableShard shard, int slot, StickDataType type, int index, long amount, uint now)
    {
        var row = shard.Row(slot);
        var off = Layout.OffsetOf(type, index);
        switch (DataTypeCatalogue.Get(type).Encoding)
        {
            case DataEncoding.UnsignedInt:
                if (type == StickDataType.ConnCur && amount < 0)
                {
                    // conn_cur never goes below zero (HAProxy only decrements a positive value).
                    var dec = (ulong)-amount;
                    row[off] = row[off] > dec ? row[off] - (uint)dec : 0;
                }
                else
                {
                    row[off] = unchecked(row[off] + (uint)amount);
                }

                break;
            case DataEncoding.SignedInt:
                row[off] = unchecked((uint)((int)row[off] + (int)amount));
                break;
            case DataEncoding.UnsignedLong:
                var v = unchecked((row[off] | ((ulong)row[off + 1] << 32)) + (ulong)amount);
                row[off] = (uint)v;
                row[off + 1] = (uint)(v >> 32);
                break;
            case DataEncoding.FrequencyCounter:
                FreqCounter.Add(ref row[off], ref row[off + 1], ref row[off + 2], now, Layout.PeriodOf(type), unchecked((uint)amount));
                break;
        }
    }

    private void SetCore(TableShard shard, int slot, in DataAssignment a, uint now)
    {
        var row = shard.Row(slot);
        var info = DataTypeCatalogue.Get(a.Type);
        if (info.Encoding == DataEncoding.Dictionary)
        {
            shard.SetText(slot, a.Text is null ? null : ServerKeyInterner.Intern(a.Text));
            return;
        }

        var off = Layout.OffsetOf(a.Type, a.Index);
        switch (info.Encoding)
        {
            case DataEncoding.UnsignedLong:
                row[off] = unchecked((uint)a.Value);
                row[off + 1] = unchecked((uint)((ulong)a.Value >> 32));
                break;
            case DataEncoding.FrequencyCounter:
                row[off] = now;
                row[off + 1] = unchecked((uint)a.Value);
                row[off + 2] = 0;
                break;
            default:
                row[off] = unchecked((uint)a.Value);
                break;
        }
    }

    /// <summary>True for the two rates <see cref="BytesRateFactor"/> scales.</summary>
    internal static bool IsBytesRate(StickDataType type) => type is StickDataType.BytesInRate or StickDataType.BytesOutRate;

    /// <summary>A stored value as readers see it: byte rates multiplied by <see cref="BytesRateFactor"/>.</summary>
    internal long Scaled(StickDataType type, long stored) => IsBytesRate(type) ? stored * _bytesRateFactor : stored;

    /// <summary>What an increment of <paramref name="amount"/> bytes adds to a byte rate: whole blocks, rounded up (HAProxy's div64_32(bytes + factor - 1, factor)).</summary>
    internal long RateIncrement(StickDataType type, long amount) =>
        IsBytesRate(type) && _bytesRateFactor > 1 && amount > 0 ? (amount + _bytesRateFactor - 1) / _bytesRateFactor : amount;

    /// <summary>The stored value: counters raw, server_id signed, rates read at <paramref name="now"/>.</summary>
    internal long ReadNumber(TableShard shard, int slot, StickDataType type, int index, uint now)
    {
        var row = shard.Row(slot);
        var off = Layout.OffsetOf(type, index);
        return DataTypeCatalogue.Get(type).Encoding switch
        {
            DataEncoding.SignedInt => (int)row[off],
            DataEncoding.UnsignedInt => row[off],
            DataEncoding.UnsignedLong => unchecked((long)(row[off] | ((ulong)row[off + 1] << 32))),
            DataEncoding.FrequencyCounter => FreqCounter.Read(row[off], row[off + 1], row[off + 2], now, Layout.PeriodOf(type)),
            _ => 0,
        };
    }

    /// <summary>Fills <paramref name="values"/> (laid out in this table's schema) from an entry at <paramref name="now"/>; every slot is written.</summary>
    internal void FillValues(TableShard shard, int slot, EntryValues values, uint now)
    {
        var row = shard.Row(slot);
        var slots = values.Slots;
        var plan = _ownPlan;
        foreach (var step in plan.Steps)
        {
            ref var dst = ref slots[step.Slot];
            var off = step.Offset;
            switch (step.Encoding)
            {
                case DataEncoding.SignedInt:
                    dst.Number = unchecked((ulong)(long)(int)row[off]);
                    dst.AgeMs = dst.Current = dst.Previous = 0;
                    break;
                case DataEncoding.UnsignedInt:
                    dst.Number = row[off];
                    dst.AgeMs = dst.Current = dst.Previous = 0;
                    break;
                case DataEncoding.UnsignedLong:
                    dst.Number = row[off] | ((ulong)row[off + 1] << 32);
                    dst.AgeMs = dst.Current = dst.Previous = 0;
                    break;
                default:
                    dst.Number = 0;
                    dst.AgeMs = unchecked(now - row[off]);
                    dst.Current = row[off + 1];
                    dst.Previous = row[off + 2];
                    break;
            }
        }

        if (plan.TextSlot >= 0)
        {
            slots[plan.TextSlot] = new WireValue { Text = shard.TextOf(slot) };
        }
    }

    /// <summary>Writes a peer's values (in the sender's schema) onto an entry, by data type.</summary>
    private void StoreRemoteValues(TableShard shard, int slot, EntryValues source, uint now)
    {
        var row = shard.Row(slot);
        var plan = SenderPlan(source.Schema);
        var src = source.Slots;
        foreach (var step in plan.Steps)
        {
            ref readonly var w = ref src[step.Slot];
            var off = step.Offset;
            switch (step.Encoding)
            {
                case DataEncoding.UnsignedLong:
                    row[off] = (uint)w.Number;
                    row[off + 1] = (uint)(w.Number >> 32);
                    break;
                case DataEncoding.FrequencyCounter:
                    row[off] = unchecked(now - w.AgeMs) & ~1u;
                    row[off + 1] = w.Current;
                    row[off + 2] = w.Previous;
                    break;
                default:
                    row[off] = unchecked((uint)w.Number);
                    break;
            }
        }

        if (plan.TextSlot >= 0 && src[plan.TextSlot].Text is { } text)
        {
            shard.SetText(slot, ServerKeyInterner.Intern(text));
        }
    }

    /// <summary>
    /// True when storing <paramref name="source"/> would leave every replicated value of the entry
    /// as it is. Frequency counters compare their period counts only: their tick is rebuilt from the
    /// sender's age on our clock, so it differs even for an unchanged counter. A server_key sent as
    /// "no value" keeps ours (as HAProxy does), so it counts as equal.
    /// </summary>
    private bool RemoteValuesEqualStored(TableShard shard, int slot, EntryValues source)
    {
        var row = shard.Row(slot);
        var plan = SenderPlan(source.Schema);
        var src = source.Slots;
        foreach (var step in plan.Steps)
        {
            ref readonly var w = ref src[step.Slot];
            var off = step.Offset;
            var same = step.Encoding switch
            {
                DataEncoding.UnsignedLong => row[off] == (uint)w.Number && row[off + 1] == (uint)(w.Number >> 32),
                DataEncoding.FrequencyCounter => row[off + 1] == w.Current && row[off + 2] == w.Previous,
                _ => row[off] == unchecked((uint)w.Number),
            };
            if (!same)
            {
                return false;
            }
        }

        return plan.TextSlot < 0 || src[plan.TextSlot].Text is not { } text || string.Equals(text, shard.TextOf(slot), StringComparison.Ordinal);
    }

    /// <summary>The store plan for a sender's schema (a few recent ones are cached; building one is cheap).</summary>
    private ValuePlan SenderPlan(TableSchema sender)
    {
        var cache = _senderPlans;
        for (var i = 0; i < cache.Length; i++)
        {
            var p = Volatile.Read(ref cache[i]);
            if (p is not null && ReferenceEquals(p.Schema, sender))
            {
                return p;
            }
        }

        var plan = ValuePlan.ForSender(sender, Layout, learnLocalOnly: ReceiveOnly);
        var at = (int)((uint)Interlocked.Increment(ref _senderPlanNext) % (uint)cache.Length);
        Volatile.Write(ref cache[at], plan);
        return plan;
    }
}
