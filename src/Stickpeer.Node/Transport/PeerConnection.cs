// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using Stickpeer.Node.Replication;

namespace Stickpeer.Node.Transport;

/// <summary>
/// One established peer connection over any <see cref="IPeerTransport"/>: a read loop feeding the node
/// and a write loop draining the node's output for this connection only, so a slow peer only
/// slows itself. Both loops run on the thread pool and take the host's lock only for node calls.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The token source has no timer and lives as long as the connection's tasks, which may still cancel after the end.")]
internal sealed class PeerConnection
{
    private const int MaxWriteChunk = 64 * 1024;

    // Large reads: every read is one call into the node under the node lock (a full resync moves ~45 MB).
    private const int ReadBufferSize = 64 * 1024;
    private const long MaxBufferedInput = 1024 * 1024;

    // Until the handshake is done the connection has proved nothing: it reads through this much,
    // not a 64 KiB pipe segment (a flood of half-open clients costs 1 KiB each). Also the longest
    // hello (three short lines) or status line we wait for.
    private const int HandshakeBufferSize = 1024;

    /// <summary>
    /// How long a close may spend draining the node's output: a peer that stopped reading
    /// (partitioned, stuck) would otherwise hold the connection — and the session the node already
    /// gave up on — open for as long as TCP retransmits. Found by the simulation (seeds 113 and 378:
    /// a dead-peer close behind a full window during a partition never completed).
    /// </summary>
    internal static readonly TimeSpan CloseLinger = TimeSpan.FromMilliseconds(500);

    private readonly SectionRuntime _section;
    private readonly PeerTransportConnection _transport;
    private readonly Stream _stream;
    private readonly OutputSignal _writeSignal = new();
    private readonly CancellationTokenSource _cts = new();
    private volatile bool _closeRequested;
    private string _closeReason = "closed";
    private ITimer? _linger;

    public PeerConnection(SectionRuntime section, ConnectionId id, PeerTransportConnection transport)
    {
        _section = section;
        Id = id;
        _transport = transport;
        _stream = transport.Stream;

        // Cancelling wakes the write loop, which then sees the token (its wait takes none).
        _cts.Token.Register(_writeSignal.Set);
    }

    public ConnectionId Id { get; }

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = RunAsync();

    /// <summary>Wakes the write loop (called after node calls, under the node lock).</summary>
    public void SignalOutput() => _writeSignal.Set();

    /// <summary>The node asked for this connection to close: drain output, then close.</summary>
    public void RequestClose(string reason)
    {
        _closeReason = reason;
        _closeRequested = true;
        if (_linger is null)
        {
            var linger = _section.Time.CreateTimer(static s => ((PeerConnection)s!).Abort(), this, CloseLinger, Timeout.InfiniteTimeSpan);
            if (Interlocked.CompareExchange(ref _linger, linger, null) is not null)
            {
                linger.Dispose();
            }
        }

        SignalOutput();
    }

    /// <summary>Stops at once (shutdown timeout).</summary>
    public void Abort() => _cts.Cancel();

    private async Task RunAsync()
    {
        var reason = "closed";
        try
        {
            var read = ReadLoopAsync();
            var write = WriteLoopAsync();
            var first = await Task.WhenAny(read, write);
            reason = await first;

            // Cancel, not CancelAsync: the callbacks run here, not on the thread pool (see OutputSignal).
#pragma warning disable VSTHRD103 // The callbacks only wake this connection's own loops.
            _cts.Cancel();
#pragma warning restore VSTHRD103
            try
            {
                await Task.WhenAll(read, write);
            }
            catch (OperationCanceledException)
            {
                // Expected: the other loop was cancelled.
            }
        }
        catch (Exception ex)
        {
            TransportLog.ConnectionCrashed(_section.Logger, ex, _section.Name, Id.Value);
            reason = "internal error: " + ex.Message;
        }
        finally
        {
            Interlocked.Exchange(ref _linger, null)?.Dispose();
            await _transport.DisposeAsync();
            _section.OnConnectionEnded(this, reason);
        }
    }

    private async Task<string> ReadLoopAsync()
    {
        var (ended, leftover) = await ReadHandshakeAsync();
        if (ended is not null)
        {
            return ended;
        }

        Stream source = leftover.IsEmpty ? _stream : new PrefixedReadStream(leftover, _stream);
        var reader = PipeReader.Create(source, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: ReadBufferSize / 4, leaveOpen: true, useZeroByteReads: true));
        long left = 0; // bytes the node left unconsumed last time: the reader presents them again
        var overflowed = false; // past MaxBufferedInput: the node answered 01 01 and the close is under way
        try
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await reader.ReadAsync(_cts.Token);
                }
                catch (OperationCanceledException)
                {
                    return _closeReason;
                }
                catch (IOException ex)
                {
                    return "read error: " + (ex.InnerException?.Message ?? ex.Message);
                }

                var buffer = result.Buffer;
                if (overflowed)
                {
                    // Refused: discard what still arrives until the close drains the 01 01 (bounded by CloseLinger).
                    reader.AdvanceTo(buffer.End);
                    if (result.IsCompleted)
                    {
                        return _closeReason;
                    }

                    continue;
                }

                if (buffer.Length > left)
                {
                    _section.Metrics.Received(buffer.Length - left);
                }

                var consumed = buffer.Start;
                var examined = buffer.End;
                if (!_section.Receive(this, buffer, out consumed, out examined))
                {
                    reader.AdvanceTo(buffer.End);
                    return _closeReason;
                }

                left = buffer.Slice(consumed).Length;
                reader.AdvanceTo(consumed, examined);
                if (left > MaxBufferedInput)
                {
                    TransportLog.InputOverflow(_section.Logger, _section.Name, Id.Value, left);
                    if (!_section.RefuseInput(this, left))
                    {
                        return "input buffer overflow";
                    }

                    overflowed = true;
                    left = 0;
                }

                if (result.IsCompleted)
                {
                    return "connection closed by peer";
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    /// <summary>
    /// Feeds the node through a small buffer until the session is established. Returns why the
    /// connection ended (null when the handshake completed) and the bytes that arrived after it.
    /// </summary>
    private async Task<(string? Ended, ReadOnlyMemory<byte> Leftover)> ReadHandshakeAsync()
    {
        var buffer = new byte[HandshakeBufferSize];
        var filled = 0;
        while (_section.IsHandshaking(this))
        {
            if (filled == buffer.Length)
            {
                return ($"handshake longer than {HandshakeBufferSize} bytes", default);
            }

            int n;
            try
            {
                n = await _stream.ReadAsync(buffer.AsMemory(filled), _cts.Token);
            }
            catch (OperationCanceledException)
            {
                return (_closeReason, default);
            }
            catch (IOException ex)
            {
                return ("read error: " + (ex.InnerException?.Message ?? ex.Message), default);
            }

            if (n == 0)
            {
                return ("connection closed by peer", default);
            }

            _section.Metrics.Received(n);
            filled += n;
            var data = new ReadOnlySequence<byte>(buffer, 0, filled);
            if (!_section.Receive(this, data, out var consumed, out _))
            {
                return (_closeReason, default);
            }

            var used = (int)data.Slice(0, consumed).Length;
            Array.Copy(buffer, used, buffer, 0, filled - used);
            filled -= used;
        }

        return (null, buffer.AsMemory(0, filled));
    }

    private async Task<string> WriteLoopAsync()
    {
        while (true)
        {
            await _writeSignal.WaitAsync();
            if (_cts.IsCancellationRequested)
            {
                return _closeReason;
            }

            // The chunk is rented per wake-up, not per connection: an idle session holds no buffer.
            var chunk = ArrayPool<byte>.Shared.Rent(MaxWriteChunk);
            try
            {
                while (true)
                {
                    var n = _section.CopyOutput(this, chunk);
                    if (n == 0)
                    {
                        break;
                    }

                    try
                    {
                        if (_section.OutputGate is { } gate)
                        {
                            // Persistence: what these bytes acknowledge must be durable (per the fsync policy) before they leave.
                            await gate.WaitAsync(gate.Position, _cts.Token);
                        }

                        await _stream.WriteAsync(chunk.AsMemory(0, n), _cts.Token);
                        await _stream.FlushAsync(_cts.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return _closeReason;
                    }
                    catch (IOException ex)
                    {
                        return "write error: " + (ex.InnerException?.Message ?? ex.Message);
                    }

                    _section.Metrics.Sent(n);
                    _section.OutputWritten(this, n);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            if (_closeRequested)
            {
                return _closeReason;
            }
        }
    }
}
