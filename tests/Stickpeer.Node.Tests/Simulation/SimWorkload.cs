// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers.Binary;
using System.Text;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// The tables every simulated node shares (several key types and data types, including
/// counters, server_id, gpt arrays, rates, the local-only conn_cur and the dictionary-encoded
/// server_key; one table whose entries expire during the run) and the random writes performed on them.
/// </summary>
internal static class SimWorkload
{
    /// <summary>The expire of <c>/sim_exp</c> when a scenario does not choose one.</summary>
    public const uint DefaultShortExpireMs = 9_000;

    public static readonly IReadOnlyList<TableSchema> Tables = TablesFor(DefaultShortExpireMs);

    /// <summary>
    /// The tables with <c>/sim_exp</c>'s expire set to <paramref name="shortExpireMs"/>: its
    /// entries expire during the run (real expiry on the virtual clock, while sessions push and
    /// teach); the others outlive the run (1 h) or never expire (<c>/sim_bin</c>).
    /// </summary>
    public static IReadOnlyList<TableSchema> TablesFor(uint shortExpireMs) =>
    [
        new("/sim_str", StickKeyType.String, 33, 3_600_000,
            [new(StickDataType.ServerId, 1, 0), new(StickDataType.Gpc0, 1, 0), new(StickDataType.HttpReqRate, 1, 10_000), new(StickDataType.ServerKey, 1, 0)]),
        new("/sim_ip", StickKeyType.IPv4, 4, 3_600_000,
            [new(StickDataType.Gpt0, 1, 0), new(StickDataType.ConnCnt, 1, 0), new(StickDataType.ConnRate, 1, 1_000), new(StickDataType.BytesInCnt, 1, 0)]),
        new("/sim_int", StickKeyType.Integer, 4, 3_600_000,
            [new(StickDataType.Gpt, 3, 0), new(StickDataType.Gpc, 2, 0), new(StickDataType.GpcRate, 2, 5_000)]),
        new("/sim_v6", StickKeyType.IPv6, 16, 3_600_000,
            [new(StickDataType.ServerId, 1, 0), new(StickDataType.HttpReqCnt, 1, 0), new(StickDataType.SessRate, 1, 10_000)]),
        new("/sim_bin", StickKeyType.Binary, 8, 0,
            [new(StickDataType.Gpt0, 1, 0), new(StickDataType.Gpc1, 1, 0)]),
        new("/sim_exp", StickKeyType.String, 13, shortExpireMs,
            [new(StickDataType.Gpt0, 1, 0), new(StickDataType.ConnCur, 1, 0), new(StickDataType.Gpc0, 1, 0), new(StickDataType.Gpc0Rate, 1, 2_000), new(StickDataType.ServerKey, 1, 0)]),
    ];

    /// <summary>The canonical key bytes of key number <paramref name="n"/> of a table.</summary>
    public static byte[] Key(TableSchema table, int n)
    {
        ArgumentNullException.ThrowIfNull(table);
        switch (table.KeyType)
        {
            case StickKeyType.Integer:
                var i = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(i, (uint)(1000 + (n * 7919)));
                return i;
            case StickKeyType.IPv4:
                return [10, 0, (byte)(n >> 8), (byte)n];
            case StickKeyType.IPv6:
                var v6 = new byte[16];
                v6[0] = 0x20;
                v6[1] = 0x01;
                v6[2] = 0x0d;
                v6[3] = 0xb8;
                BinaryPrimitives.WriteInt32BigEndian(v6.AsSpan(12), n);
                return v6;
            case StickKeyType.String:
                return Encoding.ASCII.GetBytes($"user-{n}-{new string('x', n % 5)}");
            default:
                var b = new byte[table.KeySize];
                b[0] = 0xB1;
                BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(table.KeySize - 4), n);
                return b;
        }
    }

    /// <summary>A random write to one key.</summary>
    public static SimWrite RandomWrite(Random rnd, TableSchema table, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(rnd);
        ArgumentNullException.ThrowIfNull(table);
        var specs = table.DataTypes;
        var spec = specs[rnd.Next(specs.Length)];
        var index = rnd.Next(spec.ArrayLength);
        return spec.Type switch
        {
            StickDataType.ServerId => new SimWrite(table.Name, key, SimWriteKind.SetNumber, spec.Type, 0, unchecked((ulong)(long)rnd.Next(-3, 50)), null),
            StickDataType.Gpt0 or StickDataType.Gpt => new SimWrite(table.Name, key, SimWriteKind.SetNumber, spec.Type, index, (ulong)rnd.Next(0, 1 << 20), null),
            StickDataType.ServerKey => new SimWrite(table.Name, key, SimWriteKind.SetText, spec.Type, 0, 0, "srv" + rnd.Next(0, 6)),
            StickDataType.BytesInCnt or StickDataType.BytesOutCnt => new SimWrite(table.Name, key, SimWriteKind.Increment, spec.Type, 0, (ulong)rnd.Next(1, 5_000_000), null),
            _ when spec.Info.HasPeriod => new SimWrite(table.Name, key, SimWriteKind.RateHit, spec.Type, index, (ulong)rnd.Next(1, 4), null),
            _ => new SimWrite(table.Name, key, SimWriteKind.Increment, spec.Type, index, (ulong)rnd.Next(1, 6), null),
        };
    }
}
