// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>Node incarnations: start, periodic tick with the continuous session checks, and serving a node's actions and output after each call.</summary>
internal sealed partial class Simulation
{
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
}
