// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Stickpeer.Node.Transport;

/// <summary>
/// One established peer connection (plain or TLS): a read loop feeding the core and a write loop
/// draining the core's output for this connection only, so a slow peer only slows itself.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The semaphore has no wait handle and the token source no timer; both live as long as the connection's tasks, which may still signal or cancel after the end.")]
internal sealed class PeerConnection
{
    private const int MaxWriteChunk = 64 * 1024;

    // Large reads: every read is one call into the core under the node lock (a full resync moves ~45 MB).
    private const int ReadBufferSize = 64 * 1024;
    private const long MaxBufferedInput = 1024 * 1024;

    private readonly SectionRuntime _section;
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly SemaphoreSlim _writeSignal = new(0, 1);
    private readonly CancellationTokenSource _cts = new();
    private volatile bool _closeRequested;
    private string _closeReason = "closed";

    public PeerConnection(SectionRuntime section, long id, Socket socket, Stream stream, string remote)
    {
        _section = section;
        Id = id;
        _socket = socket;
        _stream = stream;
        Remote = remote;
    }

    public long Id { get; }

    public string Remote { get; }

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = RunAsync();

    /// <summary>Wakes the write loop (called after core calls, under the node lock).</summary>
    public void SignalOutput()
    {
        if (_writeSignal.CurrentCount == 0)
        {
            try
            {
                _writeSignal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled by a concurrent caller.
            }
        }
    }

    /// <summary>The core asked for this connection to close: drain output, then close.</summary>
    public void RequestClose(string reason)
    {
        _closeReason = reason;
        _closeRequested = true;
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
            await _cts.CancelAsync();
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
            TransportLog.ConnectionCrashed(_section.Logger, ex, _section.Name, Id);
            reason = "internal error: " + ex.Message;
        }
        finally
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // Already gone.
            }
            catch (ObjectDisposedException)
            {
                // Already gone.
            }

            await _stream.DisposeAsync();
            _socket.Dispose();
            _section.OnConnectionEnded(this, reason);
        }
    }

    private async Task<string> ReadLoopAsync()
    {
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: ReadBufferSize / 4, leaveOpen: true));
        long left = 0; // bytes the core left unconsumed last time: the reader presents them again
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
                    TransportLog.InputOverflow(_section.Logger, _section.Name, Id, left);
                    return "input buffer overflow";
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

    private async Task<string> WriteLoopAsync()
    {
        var chunk = ArrayPool<byte>.Shared.Rent(MaxWriteChunk);
        try
        {
            while (true)
            {
                try
                {
                    await _writeSignal.WaitAsync(_cts.Token);
                }
                catch (OperationCanceledException)
                {
                    return _closeReason;
                }

                while (true)
                {
                    var n = _section.CopyOutput(this, chunk);
                    if (n == 0)
                    {
                        break;
                    }

                    try
                    {
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

                if (_closeRequested)
                {
                    return _closeReason;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
