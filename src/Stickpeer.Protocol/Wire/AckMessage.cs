// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Errors;

namespace Stickpeer.Protocol.Wire;

/// <summary>
/// An ACK (0x84): <c>V(table id) U32(update id)</c>. The table id is the one the ACK's
/// receiver announced in its own DEFINE; the update id acknowledges everything up to it.
/// </summary>
/// <param name="TableId">The ACK receiver's own table id.</param>
/// <param name="UpdateId">The last update id received on that table.</param>
public readonly record struct AckMessage(int TableId, uint UpdateId)
{
    /// <summary>Parses an ACK payload; trailing bytes are ignored.</summary>
    /// <exception cref="PeerProtocolException">Truncated payload or a table id over <see cref="int.MaxValue"/>.</exception>
    public static AckMessage Parse(ReadOnlySpan<byte> payload)
    {
        var r = new PayloadReader(payload);
        var id = r.ReadVarint();
        if (id > int.MaxValue)
        {
            ThrowHelper.ThrowInvalidTableId(id);
        }

        return new AckMessage((int)id, r.ReadUInt32BigEndian());
    }

    /// <summary>Parses an ACK payload; trailing bytes are ignored.</summary>
    /// <exception cref="PeerProtocolException">See <see cref="Parse(ReadOnlySpan{byte})"/>.</exception>
    public static AckMessage Parse(in ReadOnlySequence<byte> payload)
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
