// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Node.Persistence;

/// <summary>Reads the fields of a record payload; a field that runs past the payload throws <see cref="InvalidDataException"/>.</summary>
internal ref struct PayloadCursor(ReadOnlySpan<byte> payload)
{
    private readonly ReadOnlySpan<byte> _payload = payload;
    private int _position;

    public ulong ReadVarint()
    {
        if (PeerVarint.TryRead(_payload[_position..], out var value, out var n) != OperationStatus.Done)
        {
            throw new InvalidDataException($"truncated or invalid varint at payload byte {_position}");
        }

        _position += n;
        return value;
    }

    public int ReadLength()
    {
        var length = ReadVarint();
        return length <= (ulong)(_payload.Length - _position)
            ? (int)length
            : throw new InvalidDataException($"length {length} runs past the payload at byte {_position}");
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count > _payload.Length - _position)
        {
            throw new InvalidDataException($"{count} bytes expected at payload byte {_position}, {_payload.Length - _position} left");
        }

        var bytes = _payload.Slice(_position, count);
        _position += count;
        return bytes;
    }
}
