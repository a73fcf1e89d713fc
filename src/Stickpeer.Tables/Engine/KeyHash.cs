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
            h = Mix(h ^ BinaryPrimitives.ReadUInt64LittleEndian(key));
            key = key[8..];
        }

        if (key.Length >= 4)
        {
            h = Mix(h ^ BinaryPrimitives.ReadUInt32LittleEndian(key) ^ ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(key[^4..]) << 32));
        }
        else if (key.Length > 0)
        {
            h = Mix(h ^ key[0] ^ ((ulong)key[key.Length >> 1] << 8) ^ ((ulong)key[^1] << 16));
        }

        h = Mix(h);
        return (uint)(h ^ (h >> 32));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong x)
    {
        x ^= x >> 32;
        x *= 0xD6E8FEB86659FD93UL;
        x ^= x >> 32;
        return x;
    }
}
