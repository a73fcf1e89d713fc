// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Protocol.Tests.Wire;

/// <summary>Deterministic random schemas, keys and values for property tests (driven by a CsCheck seed).</summary>
internal static class RandomModel
{
    private static readonly StickKeyType[] s_keyTypes = [StickKeyType.Integer, StickKeyType.IPv4, StickKeyType.IPv6, StickKeyType.String, StickKeyType.Binary];

    public static TableSchema Schema(Random rnd)
    {
        var keyType = s_keyTypes[rnd.Next(s_keyTypes.Length)];
        var keySize = keyType switch
        {
            StickKeyType.IPv6 => 16,
            StickKeyType.String => rnd.Next(1, 70),
            StickKeyType.Binary => rnd.Next(1, 70),
            _ => 4,
        };
        var specs = new List<DataTypeSpec>();
        var density = rnd.NextDouble();
        foreach (var info in DataTypeCatalogue.All)
        {
            if (rnd.NextDouble() >= density)
            {
                continue;
            }

            var length = info.IsArray ? (rnd.Next(4) == 0 ? rnd.Next(1, DataTypeCatalogue.MaxArrayLength + 1) : rnd.Next(1, 5)) : 1;
            var period = info.HasPeriod ? (uint)rnd.NextInt64(0, uint.MaxValue + 1L) : 0;
            specs.Add(new DataTypeSpec(info.Type, length, period));
        }

        var name = new string(Enumerable.Range(0, rnd.Next(1, 24)).Select(_ => (char)rnd.Next(0x21, 0x7F)).ToArray());
        return new TableSchema(name, keyType, keySize, (uint)rnd.NextInt64(0, uint.MaxValue + 1L), specs);
    }

    public static byte[] Key(Random rnd, TableSchema schema)
    {
        var length = schema.KeyType == StickKeyType.String ? rnd.Next(0, schema.KeySize) : schema.KeySize;
        var key = new byte[length];
        rnd.NextBytes(key);
        return key;
    }

    public static void Fill(Random rnd, EntryValues values, IReadOnlyList<string> pool)
    {
        var s = 0;
        var slots = values.Slots;
        foreach (var spec in values.Schema.DataTypes)
        {
            for (var i = 0; i < spec.ArrayLength; i++)
            {
                ref var slot = ref slots[s++];
                slot = default;
                switch (spec.Info.Encoding)
                {
                    case DataEncoding.SignedInt:
                        slot.Number = unchecked((ulong)(long)Int32(rnd));
                        break;
                    case DataEncoding.UnsignedInt:
                        slot.Number = unchecked((uint)Int32(rnd));
                        break;
                    case DataEncoding.UnsignedLong:
                        slot.Number = unchecked((ulong)rnd.NextInt64() << rnd.Next(2)) ^ (ulong)rnd.Next(300);
                        break;
                    case DataEncoding.FrequencyCounter:
                        slot.AgeMs = unchecked((uint)Int32(rnd));
                        slot.Current = unchecked((uint)Int32(rnd));
                        slot.Previous = unchecked((uint)Int32(rnd));
                        break;
                    default:
                        slot.Text = rnd.Next(5) == 0 ? null : pool[rnd.Next(pool.Count)];
                        break;
                }
            }
        }
    }

    /// <summary>Small values more often, so every varint length shows up.</summary>
    private static int Int32(Random rnd) => rnd.Next(4) switch
    {
        0 => rnd.Next(0, 240),
        1 => rnd.Next(240, 70000),
        2 => -rnd.Next(1, 5),
        _ => rnd.Next(int.MinValue, int.MaxValue),
    };
}
