// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Configuration;

/// <summary>A <c>peers</c> section after validation: its peers, its listener and its tables.</summary>
public sealed record PeersSectionDefinition(
    string Name,
    bool Disabled,
    IReadOnlyList<PeerDefinition> Peers,
    PeerDefinition LocalPeer,
    BindDefinition Listener,
    IReadOnlyList<TableDefinition> Tables,
    ConfigLocation Location)
{
    /// <summary>Peers this node connects to (every entry except the local peer).</summary>
    public IEnumerable<PeerDefinition> RemotePeers => Peers.Where(p => !p.IsLocal);
}
