// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>Connections: a node's connect (latency, refusals by dead or partitioned nodes), and closes asked by the node or the network.</summary>
internal sealed partial class Simulation
{
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
}
