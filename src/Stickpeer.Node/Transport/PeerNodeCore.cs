// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Node.Replication;

namespace Stickpeer.Node.Transport;

/// <summary>Adapts the sans-IO <see cref="PeerNode"/> of one peers section to the transport.</summary>
public sealed class PeerNodeCore : IReplicationCore
{
    public PeerNodeCore(PeerNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        Node = node;
    }

    public PeerNode Node { get; }

    public long Accept() => Node.Accept().Value;

    public void Connected(long connection) => Node.Connected(new ConnectionId(connection));

    public void Receive(long connection, ReadOnlySequence<byte> data, out SequencePosition consumed, out SequencePosition examined) =>
        Node.Receive(new ConnectionId(connection), data, out consumed, out examined);

    public void Closed(long connection, string reason) => Node.Closed(new ConnectionId(connection), reason);

    public void Tick() => Node.Tick();

    public void Flush() => Node.Flush();

    public bool TryDequeueAction(out CoreAction action)
    {
        if (Node.TryDequeueAction(out var a))
        {
            action = new CoreAction(a.Kind == NodeActionKind.Connect ? CoreActionKind.Connect : CoreActionKind.Close, a.Connection.Value, a.PeerName, a.Reason);
            return true;
        }

        action = default;
        return false;
    }

    public bool TryGetOutput(long connection, out ReadOnlySequence<byte> pending) => Node.TryGetOutput(new ConnectionId(connection), out pending);

    public void AdvanceOutput(long connection, long bytes) => Node.AdvanceOutput(new ConnectionId(connection), bytes);
}
