// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>One node's end of a simulated connection: its socket buffer, its unconsumed application bytes, its state.</summary>
internal sealed class SimEndpoint
{
    public SimEndpoint(SimConnection connection, int host, int incarnation, bool isConnector, SimPipe outgoing, SimPipe incoming, WireTap tapOut)
    {
        Connection = connection;
        Host = host;
        Incarnation = incarnation;
        IsConnector = isConnector;
        Out = outgoing;
        In = incoming;
        TapOut = tapOut;
    }

    public SimConnection Connection { get; }

    public int Host { get; }

    public int Incarnation { get; }

    public bool IsConnector { get; }

    public SimPipe Out { get; }

    public SimPipe In { get; }

    /// <summary>Decoder of what this endpoint's node sends.</summary>
    public WireTap TapOut { get; }

    public SimEndpoint? Remote { get; set; }

    /// <summary>The node's id for this connection.</summary>
    public int NodeId { get; set; } = -1;

    /// <summary>The node still considers the connection open.</summary>
    public bool Open { get; set; }

    /// <summary>The transport reported the connection up (accepted / connected).</summary>
    public bool Established { get; set; }

    public long EstablishedMs { get; set; }

    public List<byte[]> Socket { get; } = [];

    public int SocketBytes { get; set; }

    /// <summary>FIN or reset reached the socket buffer behind the queued data.</summary>
    public SimCloseReason? EndOfStream { get; set; }

    public List<byte[]> App { get; } = [];

    public int AppOffset { get; set; }

    public long AppBytes { get; set; }

    public long ConsumedTotal { get; set; }

    public long LastReadMs { get; set; }

    public bool ReadScheduled { get; set; }

    /// <summary>The node stopped consuming with unexamined bytes left; retried on its next tick.</summary>
    public bool Paused { get; set; }

    public long PausedSinceMs { get; set; }

    /// <summary>A silence or stall violation was already reported for this endpoint.</summary>
    public bool Reported { get; set; }

    public bool SlowReader { get; set; }

    public int ReadChunk { get; set; } = int.MaxValue;

    public int ReadDelayMs { get; set; }
}
