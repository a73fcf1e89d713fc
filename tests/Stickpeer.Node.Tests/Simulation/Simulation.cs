// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// Deterministic simulation of N nodes over an in-memory network with a virtual clock.
/// Every decision (latencies, chunking, cut points, read sizes, faults, writes) comes from
/// one seeded <see cref="Random"/> consumed in event order, so a seed replays identically.
/// </summary>
internal sealed class Simulation
{
    /// <summary>A node that hears nothing on a session for this long must have closed it (HAProxy: 5–10 s).</summary>
    public const long SilenceLimitMs = 12_000;

    private readonly SimScenario _sc;
    private readonly Func<SimNodeContext, ISimNode> _factory;
    private readonly VirtualScheduler _sched = new();
    private readonly Random _rnd;
    private readonly SimTrace _trace = new();
    private readonly SimOracle _oracle = new();
    private readonly List<string> _violations = [];
    private readonly SimHost[] _hosts;
    private readonly string[] _names;
    private readonly List<SimConnection> _connections = [];
    private readonly ArrayBufferWriter<byte> _drain = new(4096);
    private readonly (TableSchema Table, byte[] Key, int Owner)[] _keys;
    private readonly IReadOnlyList<TableSchema> _tables;
    private readonly bool _finalChecks;
    private readonly string? _traceKey;
    private readonly SortedDictionary<string, long> _tally = new(StringComparer.Ordinal);
    private bool _stopped;
    private long _bytesSent;

    /// <summary>Prepares a run of <paramref name="scenario"/> with nodes built by <paramref name="factory"/>.</summary>
    /// <param name="scenario">The run's scenario (seed, faults, workload).</param>
    /// <param name="factory">Builds each node incarnation.</param>
    /// <param name="tables">The shared tables (default: the workload's).</param>
    /// <param name="verbose">Print every trace event.</param>
    /// <param name="finalChecks">Run the end-of-run checks.</param>
    /// <param name="traceKey">Key trace (<c>STICKPEER_SIM_KEY</c>): print every write, update, push and lesson step of the keys whose id (<c>/table|HEX</c>) contains it.</param>
    public Simulation(SimScenario scenario, Func<SimNodeContext, ISimNode> factory, IReadOnlyList<TableSchema>? tables = null, bool verbose = false, bool finalChecks = true, string? traceKey = null)
    {
        _finalChecks = finalChecks;
        _traceKey = string.IsNullOrEmpty(traceKey) ? null : traceKey;
        _sc = scenario;
        _factory = factory;
        _rnd = new Random(scenario.Seed);
        _trace.Verbose = verbose;
        _tables = tables ?? SimWorkload.TablesFor(scenario.ShortExpireMs);
        _names = Enumerable.Range(0, scenario.NodeCount).Select(i => "node" + (char)('a' + i)).ToArray();
        _hosts = _names.Select((n, i) => new SimHost(i, n)).ToArray();
        _keys = _tables.SelectMany(t => Enumerable.Range(0, scenario.KeysPerTable).Select(k => (t, SimWorkload.Key(t, k), _rnd.Next(scenario.NodeCount)))).ToArray();
    }

    public VirtualScheduler Scheduler => _sched;

    public IReadOnlyList<SimHost> Hosts => _hosts;

    /// <summary>Runs after the last event, before nodes are disposed (inspection hook for scripted tests).</summary>
    public Action<Simulation>? AfterRun { get; set; }

    public SimResult Run()
    {
        for (var i = 0; i < _hosts.Length; i++)
        {
            var host = _hosts[i];
            var phase = _rnd.Next(_sc.TickMs);
            _sched.At(_sc.StartMs[i], () => Start(host, null, phase));
        }

        foreach (var p in _sc.Partitions)
        {
            _sched.At(p.StartMs, () =>
            {
                _trace.Add(_sched.NowMs, "partition", -1, -1, p.EndMs, string.Join(',', p.Side));
                Count("partition");
            });
            _sched.At(p.EndMs, Heal);
        }

        foreach (var c in _sc.Crashes)
        {
            _sched.At(c.AtMs, () => Crash(_hosts[c.Node], c.DownMs, c.KeepTables));
        }

        foreach (var k in _sc.Kills)
        {
            _sched.At(k, KillRandomConnection);
        }

        if (_sc.NodeCount > 1 && _sc.StartMs.All(s => s == _sc.StartMs[0]))
        {
            Count("simultaneous-start");
        }

        if (_sc.FaultEndMs > 0 && _sc.JitterMs > 0)
        {
            Count("jitter-reorders-connections");
        }

        if (_sc.ShortExpireMs <= 2_000)
        {
            Count("expire-2s-run");
        }

        var t = (double)_sc.StartMs.Max() + 200;
        while (true)
        {
            t += -Math.Log(1 - _rnd.NextDouble()) * 1000 / _sc.WritesPerSecond;
            if (t >= _sc.WriteEndMs)
            {
                break;
            }

            _sched.At((long)t, Write);
        }

        while (!_stopped && _sched.RunNext(_sc.EndMs))
        {
        }

        if (!_stopped && _finalChecks)
        {
            FinalChecks();
        }

        AfterRun?.Invoke(this);
        Count("expiry-relaxed-check", _oracle.ExpiryChecks);
        Count("lesson", _connections.Sum(c => (long)c.TapToAcceptor.LessonEndsSent + c.TapToConnector.LessonEndsSent));
        foreach (var h in _hosts)
        {
            CountCollisions(h.Node);
            try
            {
                h.Node?.Dispose();
            }
            catch (Exception ex)
            {
                Violation($"{h.Name}: Dispose threw {ex}");
            }

            h.Node = null;
        }

        return new SimResult
        {
            Scenario = _sc,
            Violations = _violations,
            TraceHash = _trace.Hash,
            Events = _trace.Events,
            Writes = _oracle.Writes,
            StrictChecks = _oracle.StrictChecks,
            WeakChecks = _oracle.WeakChecks,
            BytesSent = _bytesSent,
            Connections = _connections.Count,
            UpdatesOnWire = _connections.Sum(c => (long)c.TapToAcceptor.Updates + c.TapToConnector.Updates),
            LessonsOnWire = _connections.Sum(c => (long)c.TapToAcceptor.LessonEndsSent + c.TapToConnector.LessonEndsSent),
            TraceTail = _trace.Tail(120).ToArray(),
            Tally = _tally,
        };
    }

    /// <summary>Runs one node call inside the error boundary, then serves its actions and output.</summary>
    public bool Call(SimHost host, string what, Action<ISimNode> body)
    {
        if (_stopped || host.Node is null)
        {
            return false;
        }

        try
        {
            body(host.Node);
        }
        catch (Exception ex)
        {
            Violation($"{host.Name}: unhandled exception during {what}: {ex}");
            _stopped = true;
            return false;
        }

        AfterCall(host);
        return true;
    }

    private void Count(string what, long n = 1) => _tally[what] = _tally.GetValueOrDefault(what) + n;

    private void CountCollisions(ISimNode? node)
    {
        if (node is not null && !_stopped)
        {
            Count("collision", node.Collisions);
        }
    }

    private void Violation(string text)
    {
        if (_violations.Count < 200)
        {
            _violations.Add($"[{_sched.NowMs} ms] {text}");
        }

        _trace.Add(_sched.NowMs, "VIOLATION", -1, -1, 0, text);
    }

    private void Start(SimHost host, ISimNode? previous, int tickPhase)
    {
        host.Incarnation++;
        var incarnationNow = host.Incarnation;
        var ctx = new SimNodeContext(host.Index, host.Name, _names, _tables, _sched.Time, _rnd.Next(), host.Incarnation, previous, _sc.WrapCounters, _traceKey, _traceKey is null ? null : (id, text) =>
        {
            // The node's connection id → the simulation's connection (c…), when it is still known.
            var conn = host.Incarnation != incarnationNow ? -1 : host.Find(id)?.Connection.Id ?? (host.Pending.TryGetValue(id, out var p) ? p.Id : -1);
            _trace.Note(_sched.NowMs, host.Index, conn, id < 0 ? text : $"[id{id}] {text}");
        });
        _trace.Add(_sched.NowMs, "start", host.Index, -1, host.Incarnation, previous is null ? "empty" : "keep-tables");
        try
        {
            host.Node = _factory(ctx);
        }
        catch (Exception ex)
        {
            Violation($"{host.Name}: node construction threw {ex}");
            _stopped = true;
            return;
        }

        if (previous is not null)
        {
            try
            {
                previous.Dispose();
            }
            catch (Exception ex)
            {
                Violation($"{host.Name}: Dispose of the previous incarnation threw {ex}");
            }
        }

        AfterCall(host);
        var incarnation = host.Incarnation;
        _sched.After(tickPhase, () => Tick(host, incarnation));
    }

    private void Tick(SimHost host, int incarnation)
    {
        if (host.Incarnation != incarnation || host.Node is null || _stopped)
        {
            return;
        }

        _sched.After(_sc.TickMs, () => Tick(host, incarnation));
        if (!Call(host, "Tick", n => n.Tick()))
        {
            return;
        }

        if (host.Endpoints.Exists(e => e.Paused && e.Open))
        {
            foreach (var e in host.Endpoints.ToArray())
            {
                if (e.Paused && e.Open)
                {
                    ReceiveLoop(e);
                }
            }
        }

        var now = _sched.NowMs;
        foreach (var e in host.Endpoints)
        {
            if (e.Reported || !e.Established)
            {
                continue;
            }

            var since = Math.Max(e.LastReadMs, e.EstablishedMs);
            if (now - since > SilenceLimitMs)
            {
                e.Reported = true;
                Violation($"{host.Name} kept connection c{e.Connection.Id} (node id {e.NodeId}) open for {now - since} ms without receiving a byte");
            }
            else if (e.Paused && now - e.PausedSinceMs > SilenceLimitMs)
            {
                e.Reported = true;
                Violation($"{host.Name} stopped consuming connection c{e.Connection.Id} for {now - e.PausedSinceMs} ms with {e.AppBytes} bytes pending");
            }
        }

        IEnumerable<SimSessionInfo> sessions;
        try
        {
            sessions = host.Node!.Sessions().ToArray();
        }
        catch (Exception ex)
        {
            Violation($"{host.Name}: Sessions() threw {ex}");
            _stopped = true;
            return;
        }

        foreach (var s in sessions)
        {
            if (s.Limit is { } limit && s.InState > limit + TimeSpan.FromMilliseconds(2 * _sc.TickMs))
            {
                Violation($"{host.Name}: session {s.Connection} ({s.Peer}) in state {s.State} for {s.InState.TotalMilliseconds} ms, limit {limit.TotalMilliseconds} ms");
            }
        }
    }

    private void AfterCall(SimHost host)
    {
        if (host.Node is null || _stopped)
        {
            return;
        }

        try
        {
            foreach (var problem in host.Node.TakeProblems())
            {
                Violation($"{host.Name}: {problem}");
            }

            for (var i = 0; i < 10_000 && host.Node.TryDequeueAction(out var action); i++)
            {
                if (action.Kind == SimActionKind.Connect)
                {
                    BeginConnect(host, action.Connection, action.PeerName ?? "");
                }
                else
                {
                    CloseByNode(host, action.Connection);
                }
            }

            // Pump never adds or removes endpoints: no copy of the list needed.
            for (var i = 0; i < host.Endpoints.Count; i++)
            {
                Pump(host.Endpoints[i], flush: false);
            }
        }
        catch (Exception ex)
        {
            Violation($"{host.Name}: unhandled exception while serving actions/output: {ex}");
            _stopped = true;
        }
    }

    private void BeginConnect(SimHost host, int id, string peer)
    {
        var target = Array.IndexOf(_names, peer);
        var conn = new SimConnection(_connections.Count, host.Index, target);
        _trace.Add(_sched.NowMs, "connect", host.Index, conn.Id, id, peer);
        if (target < 0 || target == host.Index)
        {
            Violation($"{host.Name} asked to connect to '{peer}', which is {(target < 0 ? "not a peer" : "itself")}");
            return;
        }

        if (host.Pending.ContainsKey(id) || host.Find(id) is not null)
        {
            Violation($"{host.Name} reused connection id {id} while it is still open");
            return;
        }

        _connections.Add(conn);
        host.Pending[id] = conn;
        var incarnation = host.Incarnation;
        _sched.After(_sc.LatencyMs + _rnd.Next(_sc.JitterMs + 1), () => CompleteConnect(host, incarnation, id, conn, target));
    }

    private void CompleteConnect(SimHost host, int incarnation, int id, SimConnection conn, int target)
    {
        if (host.Incarnation != incarnation || !host.Pending.Remove(id))
        {
            return;
        }

        var remote = _hosts[target];
        if (remote.Node is null || Partitioned(host.Index, target))
        {
            var delay = remote.Node is null ? 0 : 1000;
            _trace.Add(_sched.NowMs, "connect-fail", host.Index, conn.Id, delay);
            Count(delay == 0 ? "connect-to-dead-node" : "connect-across-partition");
            _sched.After(delay, () =>
            {
                if (host.Incarnation == incarnation)
                {
                    Call(host, "Closed(ConnectFailed)", n => n.Closed(id, SimCloseReason.ConnectFailed));
                }
            });
            return;
        }

        var now = _sched.NowMs;
        var c = new SimEndpoint(conn, host.Index, incarnation, true, conn.ToAcceptor, conn.ToConnector, conn.TapToAcceptor) { NodeId = id };
        var a = new SimEndpoint(conn, target, remote.Incarnation, false, conn.ToConnector, conn.ToAcceptor, conn.TapToConnector);
        c.Remote = a;
        a.Remote = c;
        conn.Connector = c;
        conn.Acceptor = a;
        conn.ToAcceptor.Receiver = a;
        conn.ToConnector.Receiver = c;
        if (_rnd.NextDouble() < _sc.CutProbability)
        {
            var pipe = _rnd.Next(2) == 0 ? conn.ToAcceptor : conn.ToConnector;
            pipe.CutAt = _rnd.Next(_sc.CutWithinBytes);
        }

        foreach (var e in new[] { c, a })
        {
            e.Open = true;
            e.Established = true;
            e.EstablishedMs = now;
            if (_rnd.NextDouble() < _sc.SlowReaderProbability)
            {
                Count("slow-reader");
                e.SlowReader = true;
                e.ReadChunk = _rnd.Next(1, 257);
                e.ReadDelayMs = _rnd.Next(0, 11);
            }
        }

        var acceptedId = -1;
        if (!Call(remote, "Accept", n => acceptedId = n.Accept()))
        {
            return;
        }

        if (remote.Find(acceptedId) is not null || remote.Pending.ContainsKey(acceptedId))
        {
            Violation($"{remote.Name}: Accept returned id {acceptedId}, which is already in use");
            return;
        }

        a.NodeId = acceptedId;
        _trace.Add(now, "accepted", target, conn.Id, acceptedId, _names[host.Index]);
        remote.Endpoints.Add(a);
        host.Endpoints.Add(c);
        AfterCall(remote);
        Call(host, "Connected", n => n.Connected(id));
    }

    private void CloseByNode(SimHost host, int id)
    {
        if (host.Pending.Remove(id))
        {
            _trace.Add(_sched.NowMs, "close-pending", host.Index, -1, id);
            ScheduleClosed(host, id, SimCloseReason.LocalClose);
            return;
        }

        var e = host.Find(id);
        if (e is null)
        {
            _trace.Add(_sched.NowMs, "close-unknown", host.Index, -1, id);
            return;
        }

        _trace.Add(_sched.NowMs, "close", host.Index, e.Connection.Id, id);
        Pump(e, flush: true);
        e.Open = false;
        host.Endpoints.Remove(e);
        EndPipe(e.Out, reset: false);
        ScheduleClosed(host, id, SimCloseReason.LocalClose);
    }

    private void ScheduleClosed(SimHost host, int id, SimCloseReason reason)
    {
        var incarnation = host.Incarnation;
        _sched.After(0, () =>
        {
            if (host.Incarnation == incarnation)
            {
                Call(host, $"Closed({reason})", n => n.Closed(id, reason));
            }
        });
    }

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

    private void Cut(SimConnection conn)
    {
        if (conn.Cut)
        {
            return;
        }

        conn.Cut = true;
        _trace.Add(_sched.NowMs, "cut", -1, conn.Id, 0);
        EndPipe(conn.ToAcceptor, reset: true);
        EndPipe(conn.ToConnector, reset: true);
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

    private bool Partitioned(int a, int b)
    {
        var now = _sched.NowMs;
        foreach (var p in _sc.Partitions)
        {
            if (p.StartMs <= now && now < p.EndMs && p.Side.Contains(a) != p.Side.Contains(b))
            {
                return true;
            }
        }

        return false;
    }

    private void Heal()
    {
        _trace.Add(_sched.NowMs, "heal", -1, -1, 0);
        foreach (var c in _connections)
        {
            ScheduleDelivery(c.ToAcceptor);
            ScheduleDelivery(c.ToConnector);
        }
    }

    private void KillRandomConnection()
    {
        var live = _connections.Where(c => !c.Cut && c.Connector is { Open: true } && c.Acceptor is { Open: true }).ToArray();
        if (live.Length > 0)
        {
            var c = live[_rnd.Next(live.Length)];
            _trace.Add(_sched.NowMs, "kill", -1, c.Id, 0);
            Count("reset");
            Cut(c);
        }
    }

    private void Crash(SimHost host, long downMs, bool keepTables)
    {
        if (host.Node is null)
        {
            return;
        }

        _trace.Add(_sched.NowMs, "crash", host.Index, -1, downMs, keepTables ? "keep-tables" : "empty");
        Count(keepTables ? "crash-restart-keep-tables" : "crash-restart-empty");
        CountCollisions(host.Node);
        host.LastCrashMs = _sched.NowMs;
        if (!keepTables)
        {
            host.LastEmptyCrashMs = _sched.NowMs;
        }
        foreach (var e in host.Endpoints)
        {
            e.Open = false;
            EndPipe(e.Out, reset: false);
        }

        host.Endpoints.Clear();
        host.Pending.Clear();
        var old = host.Node;
        host.Node = null;
        host.Incarnation++;
        if (!keepTables)
        {
            try
            {
                old.Dispose();
            }
            catch (Exception ex)
            {
                Violation($"{host.Name}: Dispose threw {ex}");
            }

            old = null;
        }

        var phase = _rnd.Next(_sc.TickMs);
        _sched.After(downMs, () => Start(host, old, phase));
    }

    private void Write()
    {
        var (table, key, owner) = _keys[_rnd.Next(_keys.Length)];
        var writer = _sc.WriteMode == SimWriteMode.OwnerPerKey ? owner : _rnd.Next(_hosts.Length);
        var host = _hosts[writer];
        var write = SimWorkload.RandomWrite(_rnd, table, key);
        if (host.Node is null)
        {
            _trace.Add(_sched.NowMs, "write-skipped", writer, -1, 0);
            return;
        }

        _trace.Add(_sched.NowMs, "write", writer, -1, 0, write.ToString());
        if (!Call(host, "Apply", n => n.Apply(write)))
        {
            return;
        }

        string? value = null;
        try
        {
            value = host.Node!.ReadEntry(table.Name, key);
        }
        catch (Exception ex)
        {
            Violation($"{host.Name}: ReadEntry threw {ex}");
            _stopped = true;
            return;
        }

        if (value is null)
        {
            Violation($"{host.Name}: entry {write.KeyId} absent right after a local write");
            return;
        }

        _oracle.Record(write.KeyId, writer, _sched.NowMs, value, table.ExpireMs);
    }

    private void FinalChecks()
    {
        var snapshots = new IReadOnlyDictionary<string, string>?[_hosts.Length];
        for (var i = 0; i < _hosts.Length; i++)
        {
            if (_hosts[i].Node is not { } node)
            {
                Violation($"{_hosts[i].Name} is down at the end of the run");
                continue;
            }

            try
            {
                snapshots[i] = node.Snapshot();
                foreach (var problem in node.EndOfRunProblems())
                {
                    Violation($"{_hosts[i].Name} after the quiet period: {problem}");
                }
            }
            catch (Exception ex)
            {
                Violation($"{_hosts[i].Name}: Snapshot threw {ex}");
                return;
            }
        }

        for (var i = 0; i < _hosts.Length; i++)
        {
            for (var j = i + 1; j < _hosts.Length; j++)
            {
                var live = _connections.Where(c =>
                    c.Connector is { Open: true } ce && c.Acceptor is { Open: true } ae &&
                    ((ce.Host == i && ae.Host == j) || (ce.Host == j && ae.Host == i)) &&
                    (c.TapToConnector.StatusOk || _hosts[i].Node?.SpeaksPeersProtocol == false)).ToArray();
                if (live.Length != 1)
                {
                    Violation($"{_names[i]}–{_names[j]}: {live.Length} established sessions after the quiet period (expected exactly 1)");
                }

                foreach (var c in live)
                {
                    if (_hosts[i].Node?.SpeaksPeersProtocol != true)
                    {
                        continue;
                    }

                    foreach (var tap in new[] { c.TapToAcceptor, c.TapToConnector })
                    {
                        if (tap.RequestOutstanding)
                        {
                            Violation($"c{c.Id}: a resync request (00 00) is still unanswered after the quiet period");
                        }

                        if (tap.Confirms != tap.Reverse!.LessonEndsSent)
                        {
                            Violation($"c{c.Id}: {tap.Reverse.LessonEndsSent} FINISHED/PARTIAL but {tap.Confirms} CONFIRM in reply");
                        }
                    }
                }
            }
        }

        _oracle.Check(
            _sched.NowMs,
            snapshots,
            _hosts.Select(h => h.LastCrashMs).ToArray(),
            _hosts.Select(h => h.LastEmptyCrashMs).ToArray(),
            _hosts.Select(h => h.LastLessonMs).ToArray(),
            _hosts.Select(h => h.Node?.LessonAppliesMs).ToArray(),
            _sc.WriteMode == SimWriteMode.OwnerPerKey,
            Violation);
    }
}
