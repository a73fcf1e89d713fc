// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>Bytes on the wire: draining a node's output into a direction's FIFO (back-pressure window), delivery after latency and jitter, socket and application buffers, slow readers.</summary>
internal sealed partial class Simulation
{
    private void Pump(SimEndpoint e, bool flush)
    {
        var host = _hosts[e.Host];
        if (host.Node is null || host.Incarnation != e.Incarnation || !e.Open)
        {
            return;
        }

        for (var i = 0; i < 256; i++)
        {
            int max;
            if (flush || e.Out.Closed)
            {
                max = 1 << 20;
            }
            else
            {
                var unread = e.Out.Receiver is { Open: true } r ? r.SocketBytes : 0;
                max = _sc.WindowBytes - e.Out.InFlightBytes - unread;
                if (max <= 0)
                {
                    return;
                }
            }

            _drain.ResetWrittenCount();
            var n = host.Node.DrainOutput(e.NodeId, _drain, max);
            if (n <= 0)
            {
                return;
            }

            if (n != _drain.WrittenCount || n > max)
            {
                Violation($"{host.Name}: DrainOutput returned {n} but wrote {_drain.WrittenCount} bytes (max {max})");
                _stopped = true;
                return;
            }

            var data = _drain.WrittenSpan.ToArray();
            _trace.Add(_sched.NowMs, "send", e.Host, e.Connection.Id, n);
            _trace.AddBytes(data);
            if (host.Node.SpeaksPeersProtocol)
            {
                e.TapOut.Feed(data, v => Violation($"{host.Name} on c{e.Connection.Id}: {v}"));
            }

            if (!e.Out.Closed)
            {
                Send(e, data);
            }
        }
    }

    private void Send(SimEndpoint e, byte[] data)
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
            return;
        }

        Enqueue(pipe, data);
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
                r.Socket.Add(data);
                r.SocketBytes += data.Length;
            }
            else
            {
                r.EndOfStream ??= reset ? SimCloseReason.Reset : SimCloseReason.RemoteClosed;
            }

            ScheduleRead(r);
        }

        ScheduleDelivery(pipe);
    }

    private void ScheduleRead(SimEndpoint r)
    {
        if (r.ReadScheduled)
        {
            return;
        }

        r.ReadScheduled = true;
        _sched.After(ReadsSlowly(r) ? r.ReadDelayMs : 0, () => Read(r));
    }

    private void Read(SimEndpoint r)
    {
        r.ReadScheduled = false;
        var host = _hosts[r.Host];
        if (!r.Open || host.Incarnation != r.Incarnation || host.Node is null || _stopped)
        {
            return;
        }

        var budget = ReadsSlowly(r) ? _rnd.Next(1, r.ReadChunk + 1) : int.MaxValue;
        var moved = 0;
        while (r.Socket.Count > 0 && moved < budget)
        {
            var head = r.Socket[0];
            var take = Math.Min(head.Length, budget - moved);
            if (take == head.Length)
            {
                r.Socket.RemoveAt(0);
                r.App.Add(head);
            }
            else
            {
                r.App.Add(head[..take]);
                r.Socket[0] = head[take..];
            }

            moved += take;
        }

        if (moved > 0)
        {
            r.SocketBytes -= moved;
            r.AppBytes += moved;
            r.LastReadMs = _sched.NowMs;
            _trace.Add(_sched.NowMs, "read", r.Host, r.Connection.Id, moved);
            ReceiveLoop(r);
            if (r.Remote is { Open: true } sender)
            {
                Pump(sender, flush: false);
            }
        }

        if (!r.Open)
        {
            return;
        }

        if (r.Socket.Count > 0)
        {
            ScheduleRead(r);
        }
        else if (r.EndOfStream is { } why)
        {
            _trace.Add(_sched.NowMs, "eof", r.Host, r.Connection.Id, (long)why);
            r.Open = false;
            host.Endpoints.Remove(r);
            EndPipe(r.Out, reset: false);
            Call(host, $"Closed({why})", n => n.Closed(r.NodeId, why));
        }
    }

    /// <summary>
    /// Slow reading is a fault: it stops at <see cref="SimScenario.FaultEndMs"/> like the others
    /// (a reader of 1 byte per 10 ms drains 100 B/s and could not catch up with the last writes
    /// within the quiet period — seed 109550).
    /// </summary>
    private bool ReadsSlowly(SimEndpoint r) => r.SlowReader && _sched.NowMs < _sc.FaultEndMs;

    private void ReceiveLoop(SimEndpoint r)
    {
        var host = _hosts[r.Host];
        var tapIn = r.IsConnector ? r.Connection.TapToConnector : r.Connection.TapToAcceptor;
        for (var i = 0; i < 100_000 && r.Open && r.AppBytes > 0 && !_stopped; i++)
        {
            var seq = Stickpeer.TestKit.FragmentedSequence.FromSegments(r.App).Slice(r.AppOffset);
            var total = seq.Length;
            SequencePosition consumedAt = default, examinedAt = default;
            if (!Call(host, "Receive", n =>
            {
                n.Receive(r.NodeId, seq, out var c, out var x);
                consumedAt = c;
                examinedAt = x;
            }))
            {
                return;
            }

            long consumed, examined;
            try
            {
                consumed = seq.Slice(0, consumedAt).Length;
                examined = seq.Slice(0, examinedAt).Length;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                Violation($"{host.Name}: Receive returned positions outside the buffer: {ex.Message}");
                _stopped = true;
                return;
            }

            if (consumed > examined)
            {
                Violation($"{host.Name}: Receive consumed {consumed} > examined {examined}");
            }

            Drop(r, consumed);
            r.ConsumedTotal += consumed;
            if (tapIn.TakeLessonMessagesUpTo(r.ConsumedTotal) > 0)
            {
                host.LastLessonMs = _sched.NowMs;
            }

            if (consumed == 0)
            {
                if (examined >= total)
                {
                    r.Paused = false;
                }
                else if (!r.Paused)
                {
                    r.Paused = true;
                    r.PausedSinceMs = _sched.NowMs;
                }

                return;
            }

            r.Paused = false;
            if (examined >= total)
            {
                return;
            }
        }
    }

    private static void Drop(SimEndpoint r, long n)
    {
        r.AppBytes -= n;
        while (n > 0)
        {
            var avail = r.App[0].Length - r.AppOffset;
            if (n >= avail)
            {
                r.App.RemoveAt(0);
                r.AppOffset = 0;
                n -= avail;
            }
            else
            {
                r.AppOffset += (int)n;
                n = 0;
            }
        }
    }
}
