// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;
using Stickpeer.TestKit;

namespace Stickpeer.Protocol.Tests.Wire;

/// <summary>The byte vectors of /work/shared/spec/peers-vectors.md and the schemas they use.</summary>
internal static class Vectors
{
    public static readonly TableSchema Stkt = new("stkt", StickKeyType.String, 33, 600000,
    [
        new(StickDataType.ServerId, 1, 0), new(StickDataType.Gpc0, 1, 0), new(StickDataType.HttpReqRate, 1, 10000),
    ]);

    public static readonly TableSchema StktPeers = new("/stkt", StickKeyType.String, 33, 600000, Stkt.DataTypes.ToArray());

    public static readonly TableSchema StktStickOn = new("stkt", StickKeyType.String, 33, 600000,
    [
        new(StickDataType.ServerId, 1, 0), new(StickDataType.Gpc0, 1, 0), new(StickDataType.HttpReqRate, 1, 10000),
        new(StickDataType.ServerKey, 1, 0),
    ]);

    public static readonly TableSchema StktNoLen = new("stkt", StickKeyType.String, 32, 600000, Stkt.DataTypes.ToArray());

    public static readonly TableSchema Web = new("web", StickKeyType.IPv4, 4, 1800000,
    [
        new(StickDataType.ServerId, 1, 0), new(StickDataType.ServerKey, 1, 0),
    ]);

    public static readonly TableSchema Ids = new("ids", StickKeyType.Integer, 4, 0, [new(StickDataType.Gpc0, 1, 0)]);

    public static readonly TableSchema Arr = new("arr", StickKeyType.IPv4, 4, 60000,
    [
        new(StickDataType.Gpc, 3, 0), new(StickDataType.GpcRate, 2, 10000),
    ]);

    public static readonly TableSchema Str = new("str", StickKeyType.String, 33, 1800000,
    [
        new(StickDataType.ServerId, 1, 0), new(StickDataType.Gpt0, 1, 0), new(StickDataType.Gpc0, 1, 0),
        new(StickDataType.ConnCnt, 1, 0), new(StickDataType.HttpReqRate, 1, 10000),
    ]);

    public static byte[] V1Hello => Hex.Parse("48 41 50 72 6F 78 79 53 20 32 2E 31 0A 68 61 70 42 0A 68 61 70 41 20 34 32 34 32 20 31 0A");

    public static byte[] V4 => Hex.Parse("0A 82 12 01 04 73 74 6B 74 06 21 F5 31 F0 ED A3 01 0A F0 E2 03");

    public static byte[] V4b => Hex.Parse("0A 82 13 01 05 2F 73 74 6B 74 06 21 F5 31 F0 ED A3 01 0A F0 E2 03");

    public static byte[] V4c => Hex.Parse("0A 82 14 01 04 73 74 6B 74 06 21 F5 B1 FF 00 F0 ED A3 01 0A F0 E2 03");

    public static byte[] V4d => Hex.Parse("0A 82 12 01 04 73 74 6B 74 06 20 F5 31 F0 ED A3 01 0A F0 E2 03");

    public static byte[] V5 => Hex.Parse("0A 80 0E 00 00 00 01 03 61 62 63 00 01 FC 4E 01 00");

    public static byte[] V5b => Hex.Parse("0A 85 12 00 00 00 01 00 09 23 D8 03 61 62 63 00 01 FC 4E 01 00");

    public static byte[] V5c => Hex.Parse("0A 81 09 03 61 62 64 00 02 14 02 00");

    public static byte[] V5d => Hex.Parse("0A 86 0D 00 09 21 E4 03 61 62 64 00 02 14 02 00");

    public static byte[] V7 => Hex.Parse("0A 84 05 01 00 00 00 01");

    public static byte[] V7b => Hex.Parse("0A 84 06 FC 03 01 02 03 04");

    public static byte[] V8 => Hex.Parse("0A 83 01 01");

    public static byte[] V9Define => Hex.Parse("0A 82 0F 02 03 77 65 62 04 04 F1 F1 FE 00 F0 E5 ED 05");

    public static byte[] V9First => Hex.Parse("0A 80 10 00 00 00 07 0A 00 00 01 03 06 01 04 73 72 76 31");

    public static byte[] V9Cached => Hex.Parse("0A 81 07 0A 00 00 02 03 01 01");

    public static byte[] V9None => Hex.Parse("0A 80 0A 00 00 00 09 0A 00 00 03 00 00");

    public static byte[] V10Define => Hex.Parse("0A 82 09 03 03 69 64 73 02 04 04 00");

    public static byte[] V10Update => Hex.Parse("0A 85 0E 80 00 00 05 00 00 AF C8 12 34 56 78 FC 03");

    public static byte[] V11Define => Hex.Parse("0A 82 15 04 03 61 72 72 04 04 F0 F1 FE 5E F0 97 1C 17 03 18 02 F0 E2 03");

    public static byte[] V11Update => Hex.Parse("0A 80 14 00 00 00 2A C0 00 02 01 05 00 FA 00 64 03 07 F0 DF 04 00 09");

    public static byte[] V13Define => Hex.Parse("0A 82 11 01 03 73 74 72 06 21 F7 32 F0 E5 ED 05 0A F0 E2 03");

    // V13 with the run-dependent bytes (xx) filled in: age FD AF 00 (3053), expire 00 1B 6B 40.
    public static byte[] V13Live => Hex.Parse("0A 80 13 00 00 00 01 05 61 6C 70 68 61 04 05 01 02 FD AF 00 03 00");

    public static byte[] V13Beta => Hex.Parse(
        "0A 86 22 00 1B 6B 40 04 62 65 74 61 FF F0 FE FE FE FE FE FE FE 0E FF F0 FE FE 7E FC 03 F0 88 21 FD AF 00 00 00");

    /// <summary>Every 2-byte message of V3/V6.</summary>
    public static byte[][] TwoByte =>
    [
        [0, 0], [0, 1], [0, 2], [0, 3], [0, 4], [1, 0], [1, 1],
    ];

    /// <summary>Every binary vector in stream order (a valid session transcript).</summary>
    public static byte[][] Stream =>
    [
        [0, 0], V4, V5, V5c, V5b, V5d, [0, 4], V7, V7b, V8, V9Define, V9First, V9Cached, V9None,
        V10Define, V10Update, V11Define, V11Update, V13Define, V13Live, V13Beta, V4b, V4c, V4d, [0, 1], [0, 3], [1, 1],
    ];
}
