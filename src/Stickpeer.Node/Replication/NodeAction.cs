// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Replication;

/// <summary>A request from the node core to the transport.</summary>
/// <param name="Kind">Connect or close.</param>
/// <param name="Connection">The connection concerned (for Connect: the id to use for it).</param>
/// <param name="PeerName">The remote peer (Connect: whom to connect to; Close: the peer, when known).</param>
/// <param name="Reason">Why (Close only).</param>
public readonly record struct NodeAction(NodeActionKind Kind, ConnectionId Connection, string? PeerName, string? Reason);
