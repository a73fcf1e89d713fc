// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>One simulated machine: the current process incarnation, its listener and its connections.</summary>
internal sealed class SimHost
{
    public SimHost(int index, string name) => (Index, Name) = (index, name);

    public int Index { get; }

    public string Name { get; }

    /// <summary>The running process (null while down).</summary>
    public ISimNode? Node { get; set; }

    public int Incarnation { get; set; } = -1;

    public bool Up => Node is not null;

    /// <summary>The current incarnation's listener (null until it listens, and while down).</summary>
    public SimListener? Listener { get; set; }

    /// <summary>Open endpoints of the current incarnation, in creation order.</summary>
    public List<SimEndpoint> Endpoints { get; } = [];

    public long LastCrashMs { get; set; } = -1;

    /// <summary>The last instant the node crashed and restarted with empty tables (-1 if never).</summary>
    public long LastEmptyCrashMs { get; set; } = -1;

    public long LastLessonMs { get; set; } = -1;
}
