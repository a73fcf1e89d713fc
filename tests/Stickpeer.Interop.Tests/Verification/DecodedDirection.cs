// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Decode;
using Stickpeer.Interop.Tests.Scenario;

namespace Stickpeer.Interop.Tests.Verification;

/// <summary>A recorded direction with its decode result.</summary>
internal sealed record DecodedDirection(RecordedDirection Recording, SessionDecodeResult Result)
{
    /// <summary>When the last byte of the item at <paramref name="offset"/>+<paramref name="length"/> reached the relay.</summary>
    public DateTimeOffset ArrivalOf(long offset, long length)
    {
        var last = offset + length - 1;
        foreach (var chunk in Recording.Chunks)
        {
            if (last >= chunk.Offset && last < chunk.Offset + chunk.Data.Length)
            {
                return chunk.Timestamp;
            }
        }

        return Recording.Chunks[^1].Timestamp;
    }
}
