// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;

namespace Stickpeer.Protocol.Wire;

/// <summary>Gives a contiguous view of a payload, copying multi-segment payloads into a pooled array.</summary>
internal ref struct PayloadSpan
{
    private byte[]? _rented;

    public PayloadSpan(in ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment)
        {
            _rented = null;
            Span = payload.FirstSpan;
        }
        else
        {
            var length = checked((int)payload.Length);
            _rented = ArrayPool<byte>.Shared.Rent(length);
            payload.CopyTo(_rented);
            Span = _rented.AsSpan(0, length);
        }
    }

    public ReadOnlySpan<byte> Span { get; private set; }

    public void Dispose()
    {
        if (_rented is { } r)
        {
            _rented = null;
            Span = default;
            ArrayPool<byte>.Shared.Return(r);
        }
    }
}
