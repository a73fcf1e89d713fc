// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Replication;

/// <summary>State of a <see cref="PeerNode"/> at one instant, for <c>show peers</c> and tests.</summary>
/// <param name="LocalPeerName">Our local peer name.</param>
/// <param name="SyncState">The section resync state.</param>
/// <param name="LearningFrom">The session we learn from, if a lesson is assigned.</param>
/// <param name="Peers">One entry per remote peer, in configuration order.</param>
/// <param name="OpenConnections">Connections the transport still holds (including unidentified inbound ones).</param>
public sealed record PeerNodeSnapshot(string LocalPeerName, SyncState SyncState, SessionRef? LearningFrom, IReadOnlyList<PeerSnapshot> Peers, int OpenConnections);
