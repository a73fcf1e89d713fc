// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Stickpeer.Protocol.Model;

/// <summary>
/// The catalogue of data types 0..26 as HAProxy defines them (ids are stable since 1.6).
/// </summary>
public static class DataTypeCatalogue
{
    /// <summary>Number of data types this implementation knows (ids 0..Count-1).</summary>
    public const int Count = 27;

    /// <summary>Largest element count of an array data type (HAProxy's STKTABLE_MAX_DT_ARRAY_SIZE).</summary>
    public const int MaxArrayLength = 100;

    private static readonly DataTypeInfo[] s_all =
    [
        new(StickDataType.ServerId, "server_id", DataEncoding.SignedInt, false, false, true, "1.5"),
        new(StickDataType.Gpt0, "gpt0", DataEncoding.UnsignedInt, false, false, true, "1.6"),
        new(StickDataType.Gpc0, "gpc0", DataEncoding.UnsignedInt, false, false, false, "1.5"),
        new(StickDataType.Gpc0Rate, "gpc0_rate", DataEncoding.FrequencyCounter, false, false, false, "1.5"),
        new(StickDataType.ConnCnt, "conn_cnt", DataEncoding.UnsignedInt, false, false, false, "1.5"),
        new(StickDataType.ConnRate, "conn_rate", DataEncoding.FrequencyCounter, false, false, false, "1.5"),
        new(StickDataType.ConnCur, "conn_cur", DataEncoding.UnsignedInt, false, true, false, "1.5"),
        new(StickDataType.SessCnt, "sess_cnt", DataEncoding.UnsignedInt, false, false, false, "1.5"),
        new(StickDataType.SessRate, "sess_rate", DataEncoding.FrequencyCounter, false, false, false, "1.5"),
        new(StickDataType.HttpReqCnt, "http_req_cnt", DataEncoding.UnsignedInt, false, false, false, "1.5"),
        new(StickDataType.HttpReqRate, "http_req_rate", DataEncoding.FrequencyCounter, false, false, false, "1.5"),
        new(StickDataType.HttpErrCnt, "http_err_cnt", DataEncoding.UnsignedInt, false, false, false, "1.5"),
        new(StickDataType.HttpErrRate, "http_err_rate", DataEncoding.FrequencyCounter, false, false, false, "1.5"),
        new(StickDataType.BytesInCnt, "bytes_in_cnt", DataEncoding.UnsignedLong, false, false, false, "1.5"),
        new(StickDataType.BytesInRate, "bytes_in_rate", DataEncoding.FrequencyCounter, false, false, false, "1.5"),
        new(StickDataType.BytesOutCnt, "bytes_out_cnt", DataEncoding.UnsignedLong, false, false, false, "1.5"),
        new(StickDataType.BytesOutRate, "bytes_out_rate", DataEncoding.FrequencyCounter, false, false, false, "1.5"),
        new(StickDataType.Gpc1, "gpc1", DataEncoding.UnsignedInt, false, false, false, "1.9"),
        new(StickDataType.Gpc1Rate, "gpc1_rate", DataEncoding.FrequencyCounter, false, false, false, "1.9"),
        new(StickDataType.ServerKey, "server_key", DataEncoding.Dictionary, false, false, true, "2.0"),
        new(StickDataType.HttpFailCnt, "http_fail_cnt", DataEncoding.UnsignedInt, false, false, false, "2.4"),
        new(StickDataType.HttpFailRate, "http_fail_rate", DataEncoding.FrequencyCounter, false, false, false, "2.4"),
        new(StickDataType.Gpt, "gpt", DataEncoding.UnsignedInt, true, false, true, "2.5"),
        new(StickDataType.Gpc, "gpc", DataEncoding.UnsignedInt, true, false, false, "2.5"),
        new(StickDataType.GpcRate, "gpc_rate", DataEncoding.FrequencyCounter, true, false, false, "2.5"),
        new(StickDataType.GlitchCnt, "glitch_cnt", DataEncoding.UnsignedInt, false, false, false, "3.0"),
        new(StickDataType.GlitchRate, "glitch_rate", DataEncoding.FrequencyCounter, false, false, false, "3.0"),
    ];

    // server_name is the 2.0-2.3 spelling of server_key, still accepted by HAProxy's config parser.
    private static readonly FrozenDictionary<string, DataTypeInfo> s_byName =
        s_all.Select(i => KeyValuePair.Create(i.Name, i))
            .Append(KeyValuePair.Create("server_name", s_all[(int)StickDataType.ServerKey]))
            .ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>All known data types in id order.</summary>
    public static IReadOnlyList<DataTypeInfo> All => s_all;

    /// <summary>Returns the facts about a known data type.</summary>
    public static DataTypeInfo Get(StickDataType type) => s_all[(int)type];

    /// <summary>True when <paramref name="id"/> is a data type this implementation knows.</summary>
    public static bool IsKnown(int id) => (uint)id < Count;

    /// <summary>Looks a data type up by its configuration name (<c>gpc0</c>, <c>http_req_rate</c>, …).</summary>
    public static bool TryGetByName(string name, [NotNullWhen(true)] out DataTypeInfo? info) =>
        s_byName.TryGetValue(name, out info);
}
