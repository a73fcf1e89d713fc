// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// One process incarnation on the simulated network, as the harness sees it: it runs on its own
/// (its context's transport, clock and loggers: <see cref="PeerSimNode"/> is a real
/// <c>NodeHost</c> running a <c>PeerNode</c>, <see cref="ScriptedTeacher"/> a scripted peer),
/// and the harness only starts it, writes to it and inspects it. Problems it logs as errors
/// are violations.
/// </summary>
internal interface ISimNode
{
    /// <summary>The node's local peer name.</summary>
    string Name { get; }

    /// <summary>True when the node speaks the real peers protocol (enables the wire tap checks).</summary>
    bool SpeaksPeersProtocol => true;

    /// <summary>Starts listening, connecting and ticking (on the run's thread and context).</summary>
    void Start();

    /// <summary>Performs one local write (as traffic or <c>set table</c> would).</summary>
    void Apply(SimWrite write);

    /// <summary>Canonical text of the replicated values of one entry, or null when absent.</summary>
    string? ReadEntry(string table, ReadOnlySpan<byte> key);

    /// <summary>Every entry: key <c>table|keyhex</c> → canonical replicated values.</summary>
    IReadOnlyDictionary<string, string> Snapshot();

    /// <summary>Sessions with their state and, when the state has a timeout, its limit.</summary>
    IEnumerable<SimSessionInfo> Sessions();

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
