// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Transport;

/// <summary>A request from the node core to the transport.</summary>
public readonly record struct CoreAction(CoreActionKind Kind, long Connection, string? PeerName, string? Reason);
