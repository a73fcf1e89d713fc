// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// Bytes on the wire: a process's writes into a direction's FIFO (back-pressure window: in flight
/// plus unread), delivery after latency and jitter, the receiver's socket buffer, its reads (slow
/// readers: small chunks after a delay), FIN and reset.
/// </summary>
internal sealed partial class Simulation
{
    /// <summary>Writes <paramref name="data"/> as the window allows: what does not fit waits until the receiver reads.</summary>
    public async ValueTask WriteAsync(SimEndpoint e, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var rest = data;
        while (!rest.IsEmpty)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!e.Open || e.Out.Closed || _hosts[e.Host].Incarnation != e.Incarnation)
            {
                throw new IOException(e.Connection.Cut ? "connection reset (simulated)" : "connection closed (simulated)");
            }

            var unread = e.Out.Receiver is { Open: true } r ? r.SocketBytes : 0;
            var room = _sc.WindowBytes - e.Out.InFlightBytes - unread;
            if (room <= 0)
            {
                var wait = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                e.Room = wait;
                using (cancellationToken.Register(() => wait.TrySetCanceled(cancellationToken)))
                {
                    await wait.Task;
                }

                continue;
            }

            var n = Math.Min(room, rest.Length);
            var chunk = rest[..n].ToArray();
            rest = rest[n..];
            _trace.Add(_sched.NowMs, "send", e.Host, e.Connection.Id, n);
            _trace.AddBytes(chunk);
            if (_hosts[e.Host].Node?.SpeaksPeersProtocol == true)
            {
                e.TapOut.Feed(chunk, v => Violation($"{_hosts[e.Host].Name} on c{e.Connection.Id}: {v}"));
            }

            if (!Send(e, chunk))
            {
                throw new IOException("connection reset (simulated cut)");
            }
        }
    }

    /// <summary>A read that can complete at once does (true); otherwise the stream waits (<see cref="WaitForData"/>).</summary>
    public bool TryReadNow(SimEndpoint r, Span<byte> buffer, out int n)
    {
        n = 0;
        if (r.SocketBytes > 0)
        {
            if (buffer.IsEmpty)
            {
                return true; // a zero-byte read: data is there
            }

            if (ReadsSlowly(r))
            {
                return false;
            }

            n = Take(r, buffer, int.MaxValue);
            return true;
        }

        if (r.EndOfStream is { } why)
        {
            _trace.Add(_sched.NowMs, "eof", r.Host, r.Connection.Id, (long)why);
            if (why == SimCloseReason.Reset)
            {
                throw new IOException("connection reset by peer (simulated)");
            }

            return true;
        }

        return !r.Open;
    }

    /// <summary>The process waits in a read: complete it when data (or the end) is there, after a slow reader's delay.</summary>
    public void WaitForData(SimEndpoint r)
    {
        if (!r.ReadPending || r.ReadScheduled || (r.SocketBytes == 0 && r.EndOfStream is null))
        {
            return;
        }

        r.ReadScheduled = true;
        _sched.After(ReadsSlowly(r) && r.SocketBytes > 0 && r.Stream!.PendingWantsBytes ? r.ReadDelayMs : 0, () => CompleteRead(r));
    }

    private void CompleteRead(SimEndpoint r)
    {
        r.ReadScheduled = false;
        if (!r.ReadPending || !r.Open || _hosts[r.Host].Incarnation != r.Incarnation || _stopped)
        {
            return; // a frozen incarnation's read never completes
        }

        var stream = r.Stream!;
        if (r.SocketBytes > 0)
        {
            var budget = ReadsSlowly(r) ? _rnd.Next(1, r.ReadChunk + 1) : int.MaxValue;
            stream.Complete(span => span.IsEmpty ? 0 : Take(r, span, budget));
        }
        else if (r.EndOfStream is { } why)
        {
            _trace.Add(_sched.NowMs, "eof", r.Host, r.Connection.Id, (long)why);
            if (why == SimCloseReason.Reset)
            {
                stream.Fail(new IOException("connection reset by peer (simulated)"));
            }
            else
            {
                stream.Complete(_ => 0);
            }
        }
    }

    /// <summary>Moves up to <paramref name="budget"/> bytes of the socket buffer to the process.</summary>
    private int Take(SimEndpoint r, Span<byte> destination, int budget)
    {
        var want = Math.Min(destination.Length, budget);
        var n = 0;
        while (n < want && r.Socket.TryPeek(out var head))
        {
            var take = Math.Min(want - n, head.Length - r.SocketOffset);
            head.AsSpan(r.SocketOffset, take).CopyTo(destination[n..]);
            n += take;
            r.SocketOffset += take;
            if (r.SocketOffset == head.Length)
            {
                r.Socket.Dequeue();
                r.SocketOffset = 0;
            }
        }

        r.SocketBytes -= n;
        r.ReadTotal += n;
        r.LastReadMs = _sched.NowMs;
        _trace.Add(_sched.NowMs, "read", r.Host, r.Connection.Id, n);
        if (r.TapIn.TakeLessonMessagesUpTo(r.ReadTotal) > 0)
        {
            _hosts[r.Host].LastLessonMs = _sched.NowMs;
        }

        // The window has room again: the sender's waiting write goes on.
        if (r.In.Sender is { Room: { } room } sender)
        {
            sender.Room = null;
            room.TrySetResult();
        }

        return n;
    }

    /// <summary>Queues bytes on the wire; false when the network cut the connection within them.</summary>
    private bool Send(SimEndpoint e, byte[] data)
    {
        var pipe = e.Out;
        if (pipe.CutAt is not null && _sched.NowMs >= _sc.FaultEndMs)
        {
            pipe.CutAt = null; // faults stop at FaultEndMs, including cuts armed earlier
        }

        if (pipe.CutAt is { } cut && pipe.SentBytes + data.Length > cut)
        {
            var keep = (int)(cut - pipe.SentBytes);
            if (keep > 0)
            {
                Enqueue(pipe, data[..keep]);
            }

            _trace.Add(_sched.NowMs, "cut-at-byte", e.Host, e.Connection.Id, cut);
            Count("cut-at-byte");
            Cut(e.Connection);
            return false;
        }

        Enqueue(pipe, data);
        return true;
    }

    private void Enqueue(SimPipe pipe, byte[]? data, bool reset = false)
    {
        var ready = Math.Max(pipe.LastReadyAt, _sched.NowMs + _sc.LatencyMs + _rnd.Next(_sc.JitterMs + 1));
        pipe.LastReadyAt = ready;
        pipe.Queue.Enqueue((data, reset, ready));
        if (data is not null)
        {
            pipe.SentBytes += data.Length;
            pipe.InFlightBytes += data.Length;
            _bytesSent += data.Length;
        }

        ScheduleDelivery(pipe);
    }

    private void EndPipe(SimPipe pipe, bool reset)
    {
        if (!pipe.Closed)
        {
            pipe.Closed = true;
            Enqueue(pipe, null, reset);
            if (pipe.Sender is { Room: { } room } sender)
            {
                sender.Room = null;
                room.TrySetResult();
            }
        }
    }

    private void ScheduleDelivery(SimPipe pipe)
    {
        if (pipe.DeliveryScheduled || pipe.Queue.Count == 0)
        {
            return;
        }

        pipe.DeliveryScheduled = true;
        _sched.At(pipe.Queue.Peek().ReadyAt, () => Deliver(pipe));
    }

    private void Deliver(SimPipe pipe)
    {
        pipe.DeliveryScheduled = false;
        if (pipe.Queue.Count == 0 || Partitioned(pipe.From, pipe.To))
        {
            return;
        }

        var (data, reset, _) = pipe.Queue.Dequeue();
        if (data is not null)
        {
            pipe.InFlightBytes -= data.Length;
        }

        var r = pipe.Receiver;
        if (r is { Open: true } && _hosts[r.Host].Incarnation == r.Incarnation)
        {
            if (data is not null)
            {
                r.Socket.Enqueue(data);
                r.SocketBytes += data.Length;
            }
            else
            {
                r.EndOfStream ??= reset ? SimCloseReason.Reset : SimCloseReason.RemoteClosed;
            }

            WaitForData(r);
        }
        else if (data is not null && pipe.Sender is { Room: { } room } sender)
        {
            // Nobody reads this direction any more: what was in flight frees the window.
            sender.Room = null;
            room.TrySetResult();
        }

        ScheduleDelivery(pipe);
    }

    /// <summary>
    /// Slow reading is a fault: it stops at <see cref="SimScenario.FaultEndMs"/> like the others
    /// (a reader of 1 byte per 10 ms drains 100 B/s and could not catch up with the last writes
    /// within the quiet period — seed 109550).
    /// </summary>
    private bool ReadsSlowly(SimEndpoint r) => r.SlowReader && _sched.NowMs < _sc.FaultEndMs;
}
