// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Errors;
using Stickpeer.Protocol.Handshake;

namespace Stickpeer.Fuzz.Targets;

/// <summary>The acceptor's hello reader and validator. Input byte 0 picks the segment split.</summary>
public sealed class HelloParser : IFuzzTarget
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
            if (HandshakeReader.TryReadHello(input, 512, out var hello, out var consumed, out _) != OperationStatus.Done)
            {
                return;
            }

            if (input.Slice(0, consumed).Length > input.Length)
            {
                throw new InvalidOperationException("hello consumed more than the input");
            }

            _ = hello!.TargetName;
            _ = hello.SenderName;
            _ = hello.TryGetVersion(out _, out _);
            var result = HandshakeValidator.Validate(hello, "hapB", name => name switch
            {
                "hapA" => HandshakePeerState.Remote,
                "hapB" => HandshakePeerState.Local,
                _ => HandshakePeerState.Unknown,
            });
            if (result.Status == HandshakeStatus.Success && result.PeerName is null)
            {
                throw new InvalidOperationException("success without a peer name");
            }
        }
        catch (PeerProtocolException)
        {
        }
    }
}
