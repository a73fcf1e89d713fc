// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Benchmarks.Codec;

/// <summary>Schemas shared by the codec benchmarks.</summary>
internal static class CodecFixtures
{
    /// <summary>The "small update" table: ipv4 key, gpc0 and http_req_rate(10s).</summary>
    public static readonly TableSchema Small = new("web", StickKeyType.IPv4, 4, 600000,
    [
        new DataTypeSpec(StickDataType.Gpc0, 1, 0),
        new DataTypeSpec(StickDataType.HttpReqRate, 1, 10000),
    ]);

    /// <summary>A wider DEFINE: string key, several counters, an array and server_key.</summary>
    public static readonly TableSchema Wide = new("stkt", StickKeyType.String, 33, 1800000,
    [
        new DataTypeSpec(StickDataType.ServerId, 1, 0),
        new DataTypeSpec(StickDataType.Gpt0, 1, 0),
        new DataTypeSpec(StickDataType.ConnCnt, 1, 0),
        new DataTypeSpec(StickDataType.ConnRate, 1, 10000),
        new DataTypeSpec(StickDataType.HttpReqRate, 1, 10000),
        new DataTypeSpec(StickDataType.BytesInCnt, 1, 0),
        new DataTypeSpec(StickDataType.ServerKey, 1, 0),
        new DataTypeSpec(StickDataType.Gpc, 3, 0),
        new DataTypeSpec(StickDataType.GpcRate, 2, 60000),
    ]);

    public static void FillSmall(EntryValues values, uint i)
    {
        values.Of(StickDataType.Gpc0)[0].Number = i % 1000;
        ref var rate = ref values.Of(StickDataType.HttpReqRate)[0];
        rate.AgeMs = 1500 + (i % 5000);
        rate.Current = i % 300;
        rate.Previous = 7;
    }

    public static byte[] Ipv4(uint i) => [10, (byte)(i >> 16), (byte)(i >> 8), (byte)i];
}
