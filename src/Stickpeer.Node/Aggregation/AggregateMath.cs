// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Aggregation;

/// <summary>
/// How one contribution adds into an output entry, data type by data type (docs/aggregation.md,
/// "What is summed"): counters add (wrapping at their width), rates add per period after both
/// periods are brought to now, gpt0/gpt take the largest value, server_id and server_key the
/// value of the most recently refreshed contribution; local-only types (conn_cur) are left out.
/// </summary>
internal static class AggregateMath
{
    /// <summary>How a data type combines.</summary>
    public static Combine KindOf(StickDataType type)
    {
        var info = DataTypeCatalogue.Get(type);
        if (info.IsLocalOnly)
        {
            return Combine.None;
        }

        if (type == StickDataType.ServerId || info.Encoding == DataEncoding.Dictionary)
        {
            return Combine.Last;
        }

        if (info.IsAsIs)
        {
            return Combine.Max;
        }

        return info.Encoding == DataEncoding.FrequencyCounter ? Combine.Rate : Combine.Sum;
    }

    /// <summary>
    /// Brings a rate read at now (age of its current period, counts) to now's periods: one period
    /// over moves the current count to the previous one, two or more leave nothing.
    /// </summary>
    public static WireValue RotateToNow(WireValue w, uint periodMs)
    {
        if (periodMs == 0 || w.AgeMs >= 2 * (ulong)periodMs)
        {
            return default;
        }

        if (w.AgeMs >= periodMs)
        {
            return new WireValue { AgeMs = w.AgeMs - periodMs, Current = 0, Previous = w.Current };
        }

        return w;
    }

    /// <summary>Adds one contribution's slot into the output slot (<paramref name="first"/>: the output slot holds nothing yet).</summary>
    public static void Add(Combine kind, DataEncoding encoding, uint periodMs, ref WireValue into, in WireValue from, bool first, bool newest)
    {
        switch (kind)
        {
            case Combine.Sum:
                into.Number = encoding == DataEncoding.UnsignedLong ? unchecked(into.Number + from.Number) : unchecked((uint)into.Number + (uint)from.Number);
                break;
            case Combine.Rate:
                var r = RotateToNow(from, periodMs);
                if (r.Current == 0 && r.Previous == 0)
                {
                    break; // an empty counter has no phase to share
                }

                // The output takes the youngest current period among the contributions: every
                // contribution's counts are read as if they started then (docs/aggregation.md).
                into.AgeMs = first || (into.Current == 0 && into.Previous == 0) ? r.AgeMs : Math.Min(into.AgeMs, r.AgeMs);
                into.Current = unchecked(into.Current + r.Current);
                into.Previous = unchecked(into.Previous + r.Previous);
                break;
            case Combine.Max:
                if (first || (encoding == DataEncoding.SignedInt ? (int)(uint)from.Number > (int)(uint)into.Number : from.Number > into.Number))
                {
                    into.Number = from.Number;
                }

                break;
            case Combine.Last:
                if (first || newest)
                {
                    into.Number = from.Number;
                    into.Text = from.Text;
                }

                break;
        }
    }
}

/// <summary>How a data type combines across contributions.</summary>
internal enum Combine
{
    /// <summary>Not aggregated (local-only types such as conn_cur).</summary>
    None,

    /// <summary>Counters: the sum.</summary>
    Sum,

    /// <summary>Frequency counters: the sum per period.</summary>
    Rate,

    /// <summary>gpt0, gpt: the largest.</summary>
    Max,

    /// <summary>server_id, server_key: the most recently refreshed contribution's.</summary>
    Last,
}
