// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>One simulated machine: the current node incarnation and its connections.</summary>
internal sealed class SimHost
{
    public SimHost(int index, string name) => (Index, Name) = (index, name);

    public int Index { get; }

    public string Name { get; }

    public ISimNode? Node { get; set; }

    public int Incarnation { get; set; } = -1;

    public bool Up => Node is not null;

    /// <summary>Open endpoints of the current incarnation, in creation order.</summary>
    public List<SimEndpoint> Endpoints { get; } = [];

    /// <summary>Outbound connections requested and not yet up: node id → connection.</summary>
    public Dictionary<int, SimConnection> Pending { get; } = [];

    public long LastCrashMs { get; set; } = -1;

    /// <summary>The last instant the node crashed and restarted with empty tables (-1 if never).</summary>
    public long LastEmptyCrashMs { get; set; } = -1;

    public long LastLessonMs { get; set; } = -1;

    public SimEndpoint? Find(int nodeId)
    {
        foreach (var e in Endpoints)
        {
            if (e.NodeId == nodeId)
            {
                return e;
            }
        }

        return null;
    }
}
