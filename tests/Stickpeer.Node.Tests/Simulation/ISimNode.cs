// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// What the simulation needs from one node: the sans-IO surface of <c>PeerNode</c>
/// (connections in, bytes in and out, ticks, actions) plus workload and inspection hooks.
/// An adapter binds it to the real node; <see cref="ToyNode"/> is a tiny stand-in used to
/// test the harness itself. Connection ids are small integers allocated by the node.
/// </summary>
internal interface ISimNode : IDisposable
{
    /// <summary>The node's local peer name.</summary>
    string Name { get; }

    /// <summary>True when the node speaks the real peers protocol (enables the wire tap checks).</summary>
    bool SpeaksPeersProtocol { get; }

    /// <summary>A new inbound connection was accepted; returns the node's id for it.</summary>
    int Accept();

    /// <summary>An outbound connection the node asked for (<see cref="SimNodeAction.Connect"/>) is up.</summary>
    void Connected(int connection);

    /// <summary>Bytes arrived; the node reports how far it consumed and examined.</summary>
    void Receive(int connection, ReadOnlySequence<byte> data, out SequencePosition consumed, out SequencePosition examined);

    /// <summary>The transport closed the connection (or failed to open it).</summary>
    void Closed(int connection, SimCloseReason reason);

    /// <summary>Heartbeat: the node checks its timers against its TimeProvider.</summary>
    void Tick();

    /// <summary>Next thing the node wants the transport to do.</summary>
    bool TryDequeueAction(out SimNodeAction action);

    /// <summary>Moves at most <paramref name="maxBytes"/> pending output bytes of a connection into <paramref name="destination"/>.</summary>
    int DrainOutput(int connection, IBufferWriter<byte> destination, int maxBytes);

    /// <summary>Performs one local write (as traffic or <c>set table</c> would).</summary>
    void Apply(SimWrite write);

    /// <summary>Canonical text of the replicated values of one entry, or null when absent.</summary>
    string? ReadEntry(string table, ReadOnlySpan<byte> key);

    /// <summary>Every entry: key <c>table|keyhex</c> → canonical replicated values.</summary>
    IReadOnlyDictionary<string, string> Snapshot();

    /// <summary>Sessions with their state and, when the state has a timeout, its limit.</summary>
    IEnumerable<SimSessionInfo> Sessions();

    /// <summary>Problems the node noticed since the last call (e.g. a session closed on an internal error).</summary>
    IReadOnlyList<string> TakeProblems();

    /// <summary>Problems with the node's state at the end of a run after the quiet period (e.g. still learning).</summary>
    IEnumerable<string> EndOfRunProblems();

    /// <summary>Session collisions the node resolved so far (fault-coverage statistics).</summary>
    long Collisions => 0;

    /// <summary>
    /// Per key (<c>table|keyhex</c>), the last instant this incarnation applied lesson data for it
    /// (see <see cref="LessonApplyRecorder"/>); null when the node cannot tell (the oracle then
    /// treats any lesson consumed after a write as covering every key).
    /// </summary>
    IReadOnlyDictionary<string, long>? LessonAppliesMs => null;
}
