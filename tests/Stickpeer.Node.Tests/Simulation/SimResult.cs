// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>Outcome of one simulated run.</summary>
internal sealed class SimResult
{
    public required SimScenario Scenario { get; init; }

    public required IReadOnlyList<string> Violations { get; init; }

    public required ulong TraceHash { get; init; }

    public required long Events { get; init; }

    public required int Writes { get; init; }

    public required int StrictChecks { get; init; }

    public required int WeakChecks { get; init; }

    public required long BytesSent { get; init; }

    public required int Connections { get; init; }

    /// <summary>UPDATE messages seen on the wire (all directions).</summary>
    public required long UpdatesOnWire { get; init; }

    /// <summary>Lessons (FINISHED/PARTIAL end markers) seen on the wire.</summary>
    public required long LessonsOnWire { get; init; }

    public required IReadOnlyList<string> TraceTail { get; init; }

    /// <summary>How often each fault (and expiry) actually happened in the run: cuts, kills, partitions, crashes, collisions, slow readers…</summary>
    public required IReadOnlyDictionary<string, long> Tally { get; init; }

    public bool Passed => Violations.Count == 0;

    public string Describe()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Simulation {(Passed ? "passed" : "FAILED")}: {Scenario}");
        sb.AppendLine($"  replay: STICKPEER_SIM_SEED={Scenario.Seed} dotnet test --project tests/Stickpeer.Node.Tests -- --filter-method \"*Simulation_ReplaySeed*\"");
        sb.AppendLine($"  trace hash {TraceHash:X16}, {Events} events, {Connections} connections, {BytesSent} bytes, {UpdatesOnWire} updates, {LessonsOnWire} lessons, {Writes} writes, {StrictChecks} exact / {WeakChecks} relaxed checks");
        foreach (var v in Violations.Take(20))
        {
            sb.AppendLine("  VIOLATION: " + v);
        }

        if (!Passed)
        {
            sb.AppendLine("  last trace events:");
            foreach (var line in TraceTail)
            {
                sb.AppendLine("    " + line);
            }
        }

        return sb.ToString();
    }
}
