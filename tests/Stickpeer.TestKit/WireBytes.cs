// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Wire;

namespace Stickpeer.TestKit;

/// <summary>Builds hand-made (possibly malformed) messages byte by byte for tests.</summary>
public static class WireBytes
{
    /// <summary>Appends <paramref name="value"/> as a HAProxy varint.</summary>
    public static void AppendVarint(this List<byte> into, ulong value)
    {
        ArgumentNullException.ThrowIfNull(into);
        Span<byte> buffer = stackalloc byte[10];
        into.AddRange(buffer[..PeerVarint.Write(buffer, value)]);
    }
}
