// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Stickpeer.Protocol.Errors;

namespace Stickpeer.Protocol.Wire;

/// <summary>
/// Cursor over one complete message payload. Running past the end is malformed input
/// (the message is complete), so every read throws <see cref="PeerProtocolException"/>.
/// </summary>
internal ref struct PayloadReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public PayloadReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _buffer.Length - _position;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarint()
    {
        var pos = _position;
        if ((uint)pos < (uint)_buffer.Length)
        {
            var b = _buffer[pos];
            if (b < 0xF0)
            {
                _position = pos + 1;
                return b;
            }
        }

        return ReadVarintSlow();
    }

    /// <summary>Reads a varint; returns false (without moving) when the payload ends first.</summary>
    public bool TryReadVarint(out ulong value)
    {
        if (PeerVarint.TryRead(_buffer[_position..], out value, out var used) != OperationStatus.Done)
        {
            return false;
        }

        _position += used;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadUInt32BigEndian()
    {
        if (Remaining < 4)
        {
            ThrowHelper.ThrowTruncated();
        }

        var v = BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(_position, 4));
        _position += 4;
        return v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if ((uint)count > (uint)Remaining)
        {
            ThrowHelper.ThrowTruncated();
        }

        var s = _buffer.Slice(_position, count);
        _position += count;
        return s;
    }

    /// <summary>Reads a varint that must fit a signed 32-bit length within the payload.</summary>
    public int ReadLength()
    {
        var v = ReadVarint();
        if (v > (ulong)Remaining)
        {
            ThrowHelper.ThrowTruncated();
        }

        return (int)v;
    }

    private ulong ReadVarintSlow()
    {
        if (PeerVarint.TryRead(_buffer[_position..], out var value, out var used) != OperationStatus.Done)
        {
            ThrowHelper.ThrowMalformedVarint();
        }

        _position += used;
        return value;
    }
}
