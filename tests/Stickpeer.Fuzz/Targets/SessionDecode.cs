// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Decode;

namespace Stickpeer.Fuzz.Targets;

/// <summary>
/// The <c>stickpeer decode</c> engine over a whole session direction (hello or status, then
/// messages, with DEFINE/SWITCH/implicit id/dictionary tracking). It reports malformed input
/// as a failure value, so no exception at all may escape.
/// </summary>
public sealed class SessionDecode : IFuzzTarget
{
    public static void Fuzz(ReadOnlySpan<byte> data)
    {
        var result = SessionDecoder.Decode(data.ToArray());
        foreach (var line in result.Lines)
        {
            _ = line.Length;
        }

        if (result.Failure is { } f && (f.Offset < 0 || f.Offset > data.Length))
        {
            throw new InvalidOperationException("failure offset outside the input: " + f);
        }
    }
}
