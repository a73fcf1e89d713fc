// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>One session as a node reports it, for the "no state outlives its timeout" invariant.</summary>
/// <param name="Connection">The node's connection id.</param>
/// <param name="Peer">The peer name once known.</param>
/// <param name="State">The session state, as text.</param>
/// <param name="InState">How long the session has been in that state.</param>
/// <param name="Limit">The longest the state may last (null when the state has no timeout).</param>
internal readonly record struct SimSessionInfo(int Connection, string? Peer, string State, TimeSpan InState, TimeSpan? Limit);
