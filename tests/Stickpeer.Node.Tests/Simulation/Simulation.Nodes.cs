// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>Process incarnations: start (each with its own transport, timers and error log) and the periodic contract checks on sessions and connections.</summary>
internal sealed partial class Simulation
{
    private void Start(SimHost host, ISimNode? previous)
    {
        host.Incarnation++;
        var incarnation = host.Incarnation;
        var ctx = new SimNodeContext(
            host.Index,
            host.Name,
            _names,
            _tables,
            _sched.Time,
            _rnd.Next(),
            incarnation,
            previous,
            new SimTransport(this, host, incarnation),
            new SimProcessClock(_sched.Time, _sched, () => host.Incarnation == incarnation && !_stopped),
            new SimLog(problem =>
            {
                if (host.Incarnation == incarnation)
                {
                    Violation($"{host.Name}: {problem}");
                }
            }),
            _sc.WrapCounters,
            _traceKey,
            _traceKey is null ? null : (id, text) => _trace.Note(_sched.NowMs, host.Index, -1, id < 0 ? text : $"[id{id}] {text}"));
        _trace.Add(_sched.NowMs, "start", host.Index, -1, incarnation, previous is null ? "empty" : "keep-tables");
        try
        {
            host.Node = _factory(ctx);
            host.Node.Start();
        }
        catch (Exception ex)
        {
            Violation($"{host.Name}: node construction or start threw {ex}");
            _stopped = true;
            return;
        }

        _sched.After(_rnd.Next(_sc.TickMs), () => Check(host, incarnation));
    }

    /// <summary>
    /// The continuous checks, every tick: no established connection stays silent (or unread) for
    /// longer than <see cref="SilenceLimitMs"/>, no session outstays its state's timeout.
    /// </summary>
    private void Check(SimHost host, int incarnation)
    {
        if (host.Incarnation != incarnation || host.Node is null || _stopped)
        {
            return;
        }

        _sched.After(_sc.TickMs, () => Check(host, incarnation));
        var now = _sched.NowMs;
        foreach (var e in host.Endpoints)
        {
            var since = Math.Max(e.LastReadMs, e.EstablishedMs);
            if (!e.Reported && now - since > SilenceLimitMs)
            {
                e.Reported = true;
                Violation($"{host.Name} kept connection c{e.Connection.Id} open for {now - since} ms without reading a byte ({e.SocketBytes} bytes unread)");
            }
        }

        SimSessionInfo[] sessions;
        try
        {
            sessions = host.Node.Sessions().ToArray();
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
}
