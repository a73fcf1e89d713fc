// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Errors;
using Stickpeer.Protocol.Handshake;

namespace Stickpeer.Fuzz.Targets;

/// <summary>The connector's status-line reader. Input byte 0 picks the segment split.</summary>
public sealed class StatusLine : IFuzzTarget
{
    public static void Fuzz(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        var input = FuzzInput.Split(data[1..], data[0]);
        try
        {
            if (HandshakeReader.TryReadStatus(input, 64, out var status, out var consumed, out _) == OperationStatus.Done
                && (input.Slice(0, consumed).Length == 0 || (int)status < 0))
            {
                throw new InvalidOperationException($"status {(int)status} after consuming {input.Slice(0, consumed).Length} bytes");
            }
        }
        catch (PeerProtocolException)
        {
        }
    }
}
