// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Threading.Tasks.Sources;

namespace Stickpeer.TestKit.Transport;

/// <summary>
/// One direction of a <see cref="VirtualPeerTransport"/> link: bytes written and not yet read, a
/// window after which the writer waits, the end of the stream. A waiting read completes inline when
/// bytes arrive (its <see cref="IValueTaskSource{TResult}"/> resumes a <c>ConfigureAwait(false)</c>
/// caller such as a stream pipe reader right there, or posts to the context its caller awaited on),
/// so under a <see cref="DeterministicContext"/> nothing ever reaches the thread pool. One reader and
/// one writer at a time, on one thread.
/// </summary>
internal sealed class VirtualDirection(int windowBytes) : IValueTaskSource<int>
{
    // Copies of the writer's bytes in pooled arrays (the writer reuses its buffer once the write returns).
    private readonly Queue<(byte[] Array, int Length)> _chunks = new();
    private ManualResetValueTaskSourceCore<int> _read;
    private Memory<byte> _readBuffer;
    private int _readLimit;
    private bool _reading;
    private CancellationTokenRegistration _readCancel;
    private int _headOffset;
    private TaskCompletionSource? _room;

    /// <summary>Bytes written and not yet read.</summary>
    public int Buffered { get; private set; }

    /// <summary>The writer ended the stream (FIN): reads return 0 once the bytes are read.</summary>
    public bool Ended { get; private set; }

    /// <summary>The reader is gone: writes fail.</summary>
    public bool ReaderGone { get; private set; }

    /// <summary>A read waits for bytes (the next write completes it).</summary>
    public bool ReaderWaiting => _reading;

    public ValueTask<int> ReadAsync(Memory<byte> buffer, int maxChunk, CancellationToken cancellationToken)
    {
        if (_reading)
        {
            throw new InvalidOperationException("one read at a time");
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (Buffered > 0 || Ended || ReaderGone || buffer.IsEmpty)
        {
            return new ValueTask<int>(Take(buffer.Span, maxChunk));
        }

        _read.Reset();
        _reading = true;
        _readBuffer = buffer;
        _readLimit = maxChunk;
        _readCancel = cancellationToken.Register(static s => ((VirtualDirection)s!).CancelRead(), this);
        return new ValueTask<int>(this, _read.Version);
    }

    /// <summary>Appends bytes; the returned task completes once the reader has left the window free again.</summary>
    public Task Write(ReadOnlySpan<byte> data)
    {
        if (ReaderGone || Ended)
        {
            throw new IOException(ReaderGone ? "the peer closed the connection (in memory)" : "the stream was ended (in memory)");
        }

        if (!data.IsEmpty)
        {
            var copy = ArrayPool<byte>.Shared.Rent(data.Length);
            data.CopyTo(copy);
            _chunks.Enqueue((copy, data.Length));
            Buffered += data.Length;
            WakeReader();
        }

        if (Buffered <= windowBytes)
        {
            return Task.CompletedTask;
        }

        _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _room.Task;
    }

    /// <summary>The writer ends the stream: the reader reads what is left, then 0.</summary>
    public void End()
    {
        Ended = true;
        WakeReader();
    }

    /// <summary>The reader closes: what is buffered is dropped, waiting and later writes fail.</summary>
    public void CloseReader()
    {
        ReaderGone = true;
        while (_chunks.TryDequeue(out var dropped))
        {
            ArrayPool<byte>.Shared.Return(dropped.Array);
        }

        _headOffset = 0;
        Buffered = 0;
        WakeReader();
        var room = _room;
        _room = null;
        room?.TrySetException(new IOException("the peer closed the connection (in memory)"));
    }

    /// <summary>The writer gave up waiting for room (its token was cancelled).</summary>
    public void CancelWrite()
    {
        var room = _room;
        _room = null;
        room?.TrySetCanceled();
    }

    int IValueTaskSource<int>.GetResult(short token) => _read.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _read.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _read.OnCompleted(continuation, state, token, flags);

    private void WakeReader()
    {
        if (!_reading)
        {
            return;
        }

        _reading = false;
        _readCancel.Dispose();
        var n = Take(_readBuffer.Span, _readLimit);
        _readBuffer = default;
        _read.SetResult(n);
    }

    private void CancelRead()
    {
        if (!_reading)
        {
            return;
        }

        _reading = false;
        _readBuffer = default;
        _read.SetException(new OperationCanceledException("read cancelled (in memory)"));
    }

    private int Take(Span<byte> destination, int maxChunk)
    {
        var want = Math.Min(destination.Length, maxChunk);
        var n = 0;
        while (n < want && _chunks.TryPeek(out var head))
        {
            var take = Math.Min(want - n, head.Length - _headOffset);
            head.Array.AsSpan(_headOffset, take).CopyTo(destination[n..]);
            n += take;
            _headOffset += take;
            if (_headOffset == head.Length)
            {
                _chunks.Dequeue();
                ArrayPool<byte>.Shared.Return(head.Array);
                _headOffset = 0;
            }
        }

        Buffered -= n;
        if (_room is { } room && Buffered <= windowBytes)
        {
            _room = null;
            room.TrySetResult();
        }

        return n;
    }
}
