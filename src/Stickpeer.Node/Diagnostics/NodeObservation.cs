// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Replication;
using Stickpeer.Node.Transport;

namespace Stickpeer.Node.Diagnostics;

/// <summary>Everything <see cref="NodeMetrics"/> reports, read at one instant under the host lock.</summary>
internal sealed record NodeObservation(IReadOnlyList<PeerObservation> Peers, IReadOnlyList<TableObservation> Tables, IReadOnlyList<SectionObservation> Sections)
{
    public static NodeObservation Take(StickpeerNode node)
    {
        var peers = new List<PeerObservation>();
        var tables = new List<TableObservation>();
        var sections = new List<SectionObservation>();

        // The lock only, not Invoke: reading must not make the nodes push.
        lock (node.Host.Gate)
        {
            foreach (var (name, section) in node.Sections)
            {
                var snapshot = section.GetSnapshot();
                peers.AddRange(snapshot.Peers.Select(p => new PeerObservation(name, p)));
                var c = section.Coordinator;
                sections.Add(new SectionObservation(name, c.State == SyncState.Finished, c.LessonsCompleted, c.LessonsAborted, c.FinishedAt - c.StartedAt, section.HandshakeTimeouts, section.UnreadableHandshakes));
            }

            foreach (var (name, table) in node.Tables)
            {
                if (table is StickTableReplica r)
                {
                    tables.Add(new TableObservation(name, r.Table.Size, r.Table.Count, r.Table.UpdateLogDepth, r.UpdatesLearned, r.UpdatesTaught, r.UpdatesKeptLocal, r.UpdatesRefusedFull));
                }
            }
        }

        return new NodeObservation(peers, tables, sections);
    }
}

/// <summary>One remote peer of one section.</summary>
internal sealed record PeerObservation(string Section, PeerSnapshot Peer);

/// <summary>One table's figures.</summary>
internal sealed record TableObservation(string Name, long Size, long Used, long UpdateLogDepth, long Learned, long Taught, long KeptLocal, long RefusedFull);

/// <summary>One peers section's resync figures.</summary>
internal sealed record SectionObservation(string Name, bool Finished, long LessonsCompleted, long LessonsAborted, TimeSpan? Duration, long HandshakeTimeouts, long UnreadableHandshakes);
