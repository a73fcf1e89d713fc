// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Transport;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>Connections: a process's connect (latency, refusals by dead or partitioned machines), the listener's side, and closes.</summary>
internal sealed partial class Simulation
{
    /// <summary>A process of <paramref name="host"/> connects to <paramref name="peer"/>: after one latency, connected, refused or (across a partition) failed 1 s later.</summary>
    public Task<PeerTransportConnection> Connect(SimHost host, int incarnation, string peer, CancellationToken cancellationToken)
    {
        var target = Array.IndexOf(_names, peer);
        var conn = new SimConnection(_connections.Count, host.Index, target);
        _trace.Add(_sched.NowMs, "connect", host.Index, conn.Id, 0, peer);
        if (target < 0 || target == host.Index)
        {
            Violation($"{host.Name} asked to connect to '{peer}', which is {(target < 0 ? "not a peer" : "itself")}");
            return Task.FromException<PeerTransportConnection>(new PeerTransportException(TransportFailure.HostNotFound, "no such peer (simulated)"));
        }

        _connections.Add(conn);
        var opened = new TaskCompletionSource<PeerTransportConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        cancellationToken.Register(() => opened.TrySetCanceled(cancellationToken));
        _sched.After(_sc.LatencyMs + _rnd.Next(_sc.JitterMs + 1), () => CompleteConnect(host, incarnation, conn, target, opened));
        return opened.Task;
    }

    private void CompleteConnect(SimHost host, int incarnation, SimConnection conn, int target, TaskCompletionSource<PeerTransportConnection> opened)
    {
        if (host.Incarnation != incarnation || opened.Task.IsCompleted)
        {
            return; // the connecting process died (its connect never returns) or gave up
        }

        var remote = _hosts[target];
        if (remote.Node is null || remote.Listener is null || Partitioned(host.Index, target))
        {
            var dead = remote.Node is null || remote.Listener is null;
            var delay = dead ? 0 : 1000;
            _trace.Add(_sched.NowMs, "connect-fail", host.Index, conn.Id, delay);
            Count(dead ? "connect-to-dead-node" : "connect-across-partition");
            _sched.After(delay, () => opened.TrySetException(new PeerTransportException(
                dead ? TransportFailure.Refused : TransportFailure.TimedOut,
                dead ? "connection refused (simulated)" : "connect timed out (simulated partition)")));
            return;
        }

        var now = _sched.NowMs;
        var c = new SimEndpoint(conn, host.Index, incarnation, true, conn.ToAcceptor, conn.ToConnector, conn.TapToAcceptor);
        var a = new SimEndpoint(conn, target, remote.Incarnation, false, conn.ToConnector, conn.ToAcceptor, conn.TapToConnector);
        c.Remote = a;
        a.Remote = c;
        conn.Connector = c;
        conn.Acceptor = a;
        conn.ToAcceptor.Receiver = a;
        conn.ToAcceptor.Sender = c;
        conn.ToConnector.Receiver = c;
        conn.ToConnector.Sender = a;
        if (_rnd.NextDouble() < _sc.CutProbability)
        {
            var pipe = _rnd.Next(2) == 0 ? conn.ToAcceptor : conn.ToConnector;
            pipe.CutAt = _rnd.Next(_sc.CutWithinBytes);
        }

        foreach (var e in new[] { c, a })
        {
            e.Open = true;
            e.EstablishedMs = now;
            e.Stream = new SimStream(this, e);
            if (_rnd.NextDouble() < _sc.SlowReaderProbability)
            {
                Count("slow-reader");
                e.SlowReader = true;
                e.ReadChunk = _rnd.Next(1, 257);
                e.ReadDelayMs = _rnd.Next(0, 11);
            }
        }

        _trace.Add(now, "accepted", target, conn.Id, 0, _names[host.Index]);
        remote.Endpoints.Add(a);
        host.Endpoints.Add(c);
        remote.Listener.Offer(new SimConnectionEnd(this, a.Stream!, host.Name));
        opened.TrySetResult(new SimConnectionEnd(this, c.Stream!, remote.Name));
    }

    /// <summary>The process closed its end: a FIN follows the bytes it sent; what it has not read is dropped.</summary>
    public void CloseByProcess(SimEndpoint e)
    {
        if (!e.Open || _hosts[e.Host].Incarnation != e.Incarnation)
        {
            return;
        }

        _trace.Add(_sched.NowMs, "close", e.Host, e.Connection.Id, 0);
        e.Open = false;
        _hosts[e.Host].Endpoints.Remove(e);
        EndPipe(e.Out, reset: false);
        e.Stream?.Complete(_ => 0);
        if (e.Room is { } room)
        {
            e.Room = null;
            room.TrySetResult();
        }
    }
}
