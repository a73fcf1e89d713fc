// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// Renders the replicated values of one entry as text for exact comparison between
/// nodes: integers exactly, server_key as its string, frequency counters as their raw
/// <c>curr/prev</c> counts (the period start is relative to each node's clock and not
/// compared). <c>conn_cur</c> is local-only and left out.
/// </summary>
internal static class SimCanonical
{
    public static string Render(EntryValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sb = new StringBuilder();
        foreach (var spec in values.Schema.DataTypes)
        {
            if (spec.Info.IsLocalOnly)
            {
                continue;
            }

            var slots = values.Of(spec.Type);
            for (var i = 0; i < slots.Length; i++)
            {
                if (sb.Length > 0)
                {
                    sb.Append(' ');
                }

                sb.Append(spec.Info.Name);
                if (spec.Info.IsArray)
                {
                    sb.Append('[').Append(i).Append(']');
                }

                sb.Append('=');
                var v = slots[i];
                switch (spec.Info.Encoding)
                {
                    case DataEncoding.SignedInt:
                        sb.Append(unchecked((int)(long)v.Number).ToString(CultureInfo.InvariantCulture));
                        break;
                    case DataEncoding.FrequencyCounter:
                        sb.Append(v.Current.ToString(CultureInfo.InvariantCulture)).Append('/').Append(v.Previous.ToString(CultureInfo.InvariantCulture));
                        break;
                    case DataEncoding.Dictionary:
                        sb.Append(v.Text ?? "-");
                        break;
                    default:
                        sb.Append(v.Number.ToString(CultureInfo.InvariantCulture));
                        break;
                }
            }
        }

        return sb.ToString();
    }
}
