// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using Stickpeer.Node.Composition;
using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;

namespace Stickpeer.TestKit.Mesh;

/// <summary>One node of a <see cref="LoopbackMesh"/>: its name, the built node and its one table.</summary>
public sealed class MeshMember(string name, BuiltNode node)
{
    public string Name { get; } = name;

    public BuiltNode Node { get; } = node;

    public StickTable Table => Node.Tables[0];

    /// <summary>The node's view of its peers (a snapshot taken under the node lock).</summary>
    public IReadOnlyList<PeerSnapshot> Peers() =>
        Node.Node.Host.Invoke(() => Node.Node.Sections[LoopbackMesh.SectionName].GetSnapshot()).Peers;

    /// <summary>
    /// True once the node's initial resync is over (it considers itself up to date) and it
    /// neither learns nor teaches a lesson.
    /// </summary>
    public bool Synced()
    {
        var snapshot = Node.Node.Host.Invoke(() => Node.Node.Sections[LoopbackMesh.SectionName].GetSnapshot());
        return snapshot.SyncState == SyncState.Finished && snapshot.Peers.All(p => !p.Learning && !p.Teaching);
    }

    /// <summary>A local write (gpc0 set to <paramref name="value"/>) under the node lock, pushed to every peer.</summary>
    public LocalUpdateStatus Write(string key, long value)
    {
        var bytes = Encoding.ASCII.GetBytes(key);
        return Node.Node.Host.Invoke(() => Table.Set(bytes, [new DataAssignment(StickDataType.Gpc0, 0, value)]));
    }

    /// <summary>gpc0 of <paramref name="key"/>, or null when the node does not hold it.</summary>
    public long? Read(string key)
    {
        // The node lock without Invoke's flush: a read changes nothing, and the benchmark polls
        // every node every millisecond.
        var bytes = Encoding.ASCII.GetBytes(key);
        lock (Node.Node.Host.Gate)
        {
            return Table.TryGetValue(bytes, StickDataType.Gpc0, 0, out var v) ? v : null;
        }
    }

    public long Count => Node.Node.Host.Invoke(() => Table.Count);
}
