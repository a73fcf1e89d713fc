// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers.Binary;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Tables.Tests;

public class KeyHashTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(16)]
    [InlineData(33)]
    public void Compute_DistinctKeys_SpreadOverBuckets(int length)
    {
        // 4096 sequential keys into 1024 buckets: no bucket may hold a large share (a weak
        // hash once sent every 4-byte key to one value).
        var counts = new int[1024];
        var key = new byte[length];
        for (var i = 0; i < 4096; i++)
        {
            if (length >= 4)
            {
                BinaryPrimitives.WriteInt32BigEndian(key, i);
            }
            else
            {
                BinaryPrimitives.WriteInt16BigEndian(key, (short)i);
            }

            counts[KeyHash.Compute(key, 12345) & 1023]++;
        }

        Assert.InRange(counts.Max(), 1, 20);
    }
}
