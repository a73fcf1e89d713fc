// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Fuzz.Targets;

/// <summary>A table schema derived deterministically from two seed bytes (the "current table" before any DEFINE).</summary>
internal static class RandomSchema
{
    private static readonly StickKeyType[] s_keyTypes =
        [StickKeyType.Integer, StickKeyType.IPv4, StickKeyType.IPv6, StickKeyType.String, StickKeyType.Binary];

    public static TableSchema Create(byte a, byte b)
    {
        var random = new Random((a << 8) | b);
        var keyType = s_keyTypes[a % s_keyTypes.Length];
        var keySize = keyType switch
        {
            StickKeyType.IPv6 => 16,
            StickKeyType.String => 2 + random.Next(64),
            StickKeyType.Binary => 1 + random.Next(64),
            _ => 4,
        };
        var specs = new List<DataTypeSpec>();
        foreach (var info in DataTypeCatalogue.All)
        {
            if (random.Next(3) != 0)
            {
                continue;
            }

            var length = info.IsArray ? 1 + random.Next(4) : 1;
            var period = info.HasPeriod ? (uint)(1 + random.Next(60000)) : 0;
            specs.Add(new DataTypeSpec(info.Type, length, period));
        }

        return new TableSchema("fuzz", keyType, keySize, (uint)random.Next(), specs);
    }
}
