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

    /// <summary>The value as HAProxy reports it: counters raw, server_id signed, rates read at <paramref name="now"/>.</summary>
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

    /// <summary>Fills <paramref name="values"/> (laid out in this table's schema) from an entry at <paramref name="now"/>.</summary>
    internal void FillValues(TableShard shard, int slot, EntryValues values, uint now)
    {
        var row = shard.Row(slot);
        foreach (var spec in Schema.DataTypes)
        {
            var dst = values.Of(spec.Type);
            var encoding = spec.Info.Encoding;
            if (encoding == DataEncoding.Dictionary)
            {
                dst[0] = new WireValue { Text = shard.TextOf(slot) };
                continue;
            }

            for (var i = 0; i < dst.Length; i++)
            {
                var off = Layout.OffsetOf(spec.Type, i);
                dst[i] = encoding switch
                {
                    DataEncoding.SignedInt => new WireValue { Number = unchecked((ulong)(long)(int)row[off]) },
                    DataEncoding.UnsignedInt => new WireValue { Number = row[off] },
                    DataEncoding.UnsignedLong => new WireValue { Number = row[off] | ((ulong)row[off + 1] << 32) },
                    _ => new WireValue { AgeMs = unchecked(now - row[off]), Current = row[off + 1], Previous = row[off + 2] },
                };
            }
        }
    }

    /// <summary>Writes a peer's values (in the sender's schema) onto an entry, by data type.</summary>
    private void StoreRemoteValues(TableShard shard, int slot, EntryValues source, uint now)
    {
        var row = shard.Row(slot);
        foreach (var spec in source.Schema.DataTypes)
        {
            var type = spec.Type;
            if (type == StickDataType.ConnCur || (uint)type >= DataTypeCatalogue.Count || !Layout.Stores(type))
            {
                continue;
            }

            var src = source.Of(type);
            var n = Math.Min(src.Length, Layout.LengthOf(type));
            var encoding = DataTypeCatalogue.Get(type).Encoding;
            if (encoding == DataEncoding.Dictionary)
            {
                if (n > 0 && src[0].Text is { } text)
                {
                    shard.SetText(slot, ServerKeyInterner.Intern(text));
                }

                continue;
            }

            for (var i = 0; i < n; i++)
            {
                var off = Layout.OffsetOf(type, i);
                ref readonly var w = ref src[i];
                switch (encoding)
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
        }
    }
}
