// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Stickpeer.Tables.Engine;

/// <summary>A fast seeded 32-bit hash of key bytes (seeded per table against collision flooding).</summary>
internal static class KeyHash
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Compute(ReadOnlySpan<byte> key, ulong seed)
    {
        var h = seed ^ ((ulong)key.Length * 0x9E3779B97F4A7C15UL);
        while (key.Length >= 8)
        {
            h = Fmix(h ^ BinaryPrimitives.ReadUInt64LittleEndian(key));
            key = key[8..];
        }

        ulong tail;
        if (key.Length >= 4)
        {
            tail = BinaryPrimitives.ReadUInt32LittleEndian(key) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(key[^4..]) << 32);
        }
        else if (key.Length > 0)
        {
            tail = key[0] | ((ulong)key[key.Length >> 1] << 8) | ((ulong)key[^1] << 16);
        }
        else
        {
            tail = 0;
        }

        h = Fmix(h ^ tail ^ 0x2545F4914F6CDD1DUL);
        return (uint)(h ^ (h >> 32));
    }

    /// <summary>A 64-bit finaliser with full avalanche (every input bit affects every output bit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Fmix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xFF51AFD7ED558CCDUL;
        x ^= x >> 33;
        x *= 0xC4CEB9FE1A85EC53UL;
        x ^= x >> 33;
        return x;
    }
}
