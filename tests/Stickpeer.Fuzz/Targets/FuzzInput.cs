// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.TestKit;

namespace Stickpeer.Fuzz.Targets;

/// <summary>Helpers shared by the targets.</summary>
internal static class FuzzInput
{
    /// <summary>
    /// A sequence over <paramref name="data"/>, split into two segments at
    /// <paramref name="split"/> (mod length + 1) so multi-segment paths are exercised too.
    /// </summary>
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> data, int split)
    {
        var bytes = data.ToArray();
        var at = bytes.Length == 0 ? 0 : split % (bytes.Length + 1);
        if (at == 0 || at == bytes.Length)
        {
            return new ReadOnlySequence<byte>(bytes);
        }

        return FragmentedSequence.SplitAt(bytes, at);
    }
}
