// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Daemon.Top;

/// <summary>
/// One poll of a node, whichever way it was read (HTTP API or stats socket): its peers sections
/// and tables, and when. Two samples give rates.
/// </summary>
/// <param name="LocalPeer">The node's own peer name, or null when the source does not say.</param>
/// <param name="Sections">Peers sections with their peers.</param>
/// <param name="Tables">Tables with their fill.</param>
/// <param name="At">When it was read.</param>
public sealed record TopSample(string? LocalPeer, IReadOnlyList<TopSection> Sections, IReadOnlyList<TopTable> Tables, DateTimeOffset At)
{
    /// <summary>True when every section finished its initial resync (learned, or gave up).</summary>
    public bool Ready => Sections.All(s => s.ResyncFinished);

    /// <summary>The update counter of a peer (section/peer) in this sample, or null when it is absent.</summary>
    public long? PeerUpdates(string section, string peer) =>
        Sections.FirstOrDefault(s => s.Name == section)?.Peers.FirstOrDefault(p => p.Name == peer)?.Updates;
}

/// <summary>A peers section.</summary>
/// <param name="Name">Section name.</param>
/// <param name="SyncState">Resync state as the source names it (<c>from_local</c>, <c>from_remote</c>, <c>finished</c>).</param>
/// <param name="ResyncFinished">True when the initial resync is over.</param>
/// <param name="Peers">Remote peers (the local one is left out).</param>
public sealed record TopSection(string Name, string SyncState, bool ResyncFinished, IReadOnlyList<TopPeer> Peers);

/// <summary>A remote peer of a section.</summary>
/// <param name="Name">Peer name.</param>
/// <param name="Up">True while a session is established.</param>
/// <param name="State">Session state as the source names it.</param>
/// <param name="LastStatus">Last handshake status (e.g. <c>ESTA (200)</c> or HAProxy's <c>ESTA</c>).</param>
/// <param name="BytesIn">Bytes received, when the source counts them.</param>
/// <param name="BytesOut">Bytes sent, when the source counts them.</param>
/// <param name="Updates">A counter that grows by one per update in or out (rates come from its difference).</param>
/// <param name="AckLag">Updates pushed and not yet acknowledged, over every table.</param>
/// <param name="Errors">Protocol errors, missed heartbeats and collisions.</param>
public sealed record TopPeer(string Name, bool Up, string State, string LastStatus, long? BytesIn, long? BytesOut, long Updates, long AckLag, long Errors);

/// <summary>A stick table.</summary>
/// <param name="Name">Full name (<c>section/table</c>).</param>
/// <param name="Type">Key type.</param>
/// <param name="Used">Entries held.</param>
/// <param name="Size">Declared size.</param>
public sealed record TopTable(string Name, string Type, long Used, long Size);
