// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;

namespace Stickpeer.Protocol.Session;

/// <summary>
/// Bytes a session wants to send, in one growable buffer. The session writes through
/// <see cref="IBufferWriter{T}"/>; the transport reads <see cref="Pending"/> and calls
/// <see cref="Consume"/> once the bytes are written.
/// </summary>
public sealed class SessionOutbox : IBufferWriter<byte>
{
    private byte[] _buffer;
    private int _start;
    private int _end;

    /// <summary>Creates an empty outbox.</summary>
    public SessionOutbox(int initialCapacity = 4096)
    {
        _buffer = new byte[Math.Max(initialCapacity, 64)];
    }

    /// <summary>Number of bytes waiting to be sent.</summary>
    public int PendingBytes => _end - _start;

    /// <summary>Total bytes ever written (for counters).</summary>
    public long TotalWritten { get; private set; }

    /// <summary>The bytes waiting to be sent (valid until the next write or <see cref="Consume"/>).</summary>
    public ReadOnlyMemory<byte> Pending => _buffer.AsMemory(_start, _end - _start);

    /// <summary>Marks <paramref name="count"/> pending bytes as sent.</summary>
    public void Consume(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, PendingBytes);
        _start += (int)count;
        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    /// <summary>Drops every pending byte.</summary>
    public void Clear() => _start = _end = 0;

    /// <inheritdoc />
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _end);
        _end += count;
        TotalWritten += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_end);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_end);
    }

    private void Ensure(int sizeHint)
    {
        var need = Math.Max(sizeHint, 1);
        if (_buffer.Length - _end >= need)
        {
            return;
        }

        var used = _end - _start;
        if (_start > 0 && _buffer.Length - used >= need && used <= _buffer.Length / 2)
        {
            _buffer.AsSpan(_start, used).CopyTo(_buffer);
            _start = 0;
            _end = used;
            return;
        }

        var grown = new byte[Math.Max(_buffer.Length * 2, used + need)];
        _buffer.AsSpan(_start, used).CopyTo(grown);
        _buffer = grown;
        _start = 0;
        _end = used;
    }
}
