// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Benchmarks.Session;

/// <summary>
/// Two real <see cref="PeerNode"/>s over real <see cref="StickTable"/>s joined by direct
/// in-memory byte passing (no sockets, no copies: one node's output sequence is fed to the
/// other's Receive). Node a is up to date; node b learns from it at start-up.
/// </summary>
internal sealed class PairReplication
{
    public static readonly TableSchema Schema = new("/bench", StickKeyType.Integer, 4, 3_600_000,
        [new(StickDataType.ServerId, 1, 0), new(StickDataType.Gpc0, 1, 0), new(StickDataType.HttpReqRate, 1, 10_000)]);

    private readonly ConnectionId _aId;
    private readonly ConnectionId _bId;

    public PairReplication(StickTable tableA, StickTable tableB)
    {
        A = new StickTableReplica(tableA);
        B = new StickTableReplica(tableB);
        NodeA = new PeerNode(new PeerNodeOptions { LocalPeerName = "a", RemotePeers = ["b"], LearnOnStartup = false, ProcessId = 1 }, [A], TimeProvider.System, NullLoggerFactory.Instance, new Random(1));
        NodeB = new PeerNode(new PeerNodeOptions { LocalPeerName = "b", RemotePeers = ["a"], ProcessId = 2 }, [B], TimeProvider.System, NullLoggerFactory.Instance, new Random(2));
        NodeB.Tick();
        NodeA.Tick();
        while (NodeA.TryDequeueAction(out _))
        {
            // a's own attempt to reach b is never served: b's connection is the only one.
        }

        _bId = default;
        while (NodeB.TryDequeueAction(out var action))
        {
            if (action.Kind == NodeActionKind.Connect)
            {
                _bId = action.Connection;
            }
        }

        _aId = NodeA.Accept();
        NodeB.Connected(_bId);
    }

    public StickTableReplica A { get; }

    public StickTableReplica B { get; }

    public PeerNode NodeA { get; }

    public PeerNode NodeB { get; }

    public long BytesAtoB { get; private set; }

    public long BytesBtoA { get; private set; }

    /// <summary>Moves bytes both ways until neither node has anything to send (or <paramref name="until"/> holds). Returns the bytes moved.</summary>
    public long Pump(Func<bool>? until = null)
    {
        long total = 0;
        while (until?.Invoke() != true)
        {
            var moved = Move(NodeA, _aId, NodeB, _bId) + Move(NodeB, _bId, NodeA, _aId);
            if (moved == 0)
            {
                NodeA.Flush();
                NodeB.Flush();
                moved = Move(NodeA, _aId, NodeB, _bId) + Move(NodeB, _bId, NodeA, _aId);
                if (moved == 0)
                {
                    return total;
                }
            }

            total += moved;
        }

        return total;
    }

    private long Move(PeerNode from, ConnectionId fromId, PeerNode to, ConnectionId toId)
    {
        if (!from.TryGetOutput(fromId, out var pending) || pending.IsEmpty)
        {
            return 0;
        }

        to.Receive(toId, pending, out var consumed, out _);
        var n = pending.Slice(0, consumed).Length;
        from.AdvanceOutput(fromId, pending.Length);
        if (n != pending.Length)
        {
            throw new InvalidOperationException($"receiver consumed {n} of {pending.Length} bytes");
        }

        if (from == NodeA)
        {
            BytesAtoB += n;
        }
        else
        {
            BytesBtoA += n;
        }

        return n;
    }
}
