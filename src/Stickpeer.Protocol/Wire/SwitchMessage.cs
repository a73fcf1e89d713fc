// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Errors;

namespace Stickpeer.Protocol.Wire;

/// <summary>A SWITCH (0x83): <c>V(table id)</c>, selecting a table the sender defined earlier.</summary>
/// <param name="TableId">The sender's table id.</param>
public readonly record struct SwitchMessage(int TableId)
{
    /// <summary>Parses a SWITCH payload; trailing bytes are ignored.</summary>
    /// <exception cref="PeerProtocolException">No varint, or a table id over <see cref="int.MaxValue"/>.</exception>
    public static SwitchMessage Parse(ReadOnlySpan<byte> payload)
    {
        var r = new PayloadReader(payload);
        var id = r.ReadVarint();
        if (id > int.MaxValue)
        {
            ThrowHelper.ThrowInvalidTableId(id);
        }

        return new SwitchMessage((int)id);
    }

    /// <summary>Parses a SWITCH payload; trailing bytes are ignored.</summary>
    /// <exception cref="PeerProtocolException">See <see cref="Parse(ReadOnlySpan{byte})"/>.</exception>
    public static SwitchMessage Parse(in ReadOnlySequence<byte> payload)
    {
        var span = new PayloadSpan(payload);
        try
        {
            return Parse(span.Span);
        }
        finally
        {
            span.Dispose();
        }
    }
}
