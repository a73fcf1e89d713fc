// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>Faults: cuts at a byte, partitions and their healing, random resets, crashes with restart.</summary>
internal sealed partial class Simulation
{
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

    /// <summary>
    /// The process dies: its connections end with a FIN (the kernel closes the sockets), its
    /// listener is gone, and the incarnation is frozen — its host is never stopped, its timers never
    /// fire again and its waiting reads, writes and connects never return.
    /// </summary>
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
        host.Listener = null;
        _frozen.Add(host.Node);
        var old = keepTables ? host.Node : null;
        host.Node = null;
        host.Incarnation++;
        _sched.After(downMs, () => Start(host, old));
    }
}
