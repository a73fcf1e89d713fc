// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// One process's end of a simulated connection: its socket buffer (bytes delivered, not yet read by
/// the process), the read the process is waiting in, and its state. The process sees it as a
/// <see cref="SimStream"/>.
/// </summary>
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

    /// <summary>Decoder of what this endpoint's process sends.</summary>
    public WireTap TapOut { get; }

    /// <summary>Decoder of what this endpoint's process receives.</summary>
    public WireTap TapIn => IsConnector ? Connection.TapToConnector : Connection.TapToAcceptor;

    public SimEndpoint? Remote { get; set; }

    /// <summary>The process still has the connection open (it has not closed it, and it did not crash).</summary>
    public bool Open { get; set; }

    public long EstablishedMs { get; set; }

    public Queue<byte[]> Socket { get; } = new();

    /// <summary>Bytes of the socket buffer's first chunk already read.</summary>
    public int SocketOffset { get; set; }

    public int SocketBytes { get; set; }

    /// <summary>FIN or reset reached the socket buffer behind the queued data.</summary>
    public SimCloseReason? EndOfStream { get; set; }

    /// <summary>Bytes the process read so far.</summary>
    public long ReadTotal { get; set; }

    public long LastReadMs { get; set; }

    /// <summary>The process waits in a read (see <see cref="SimStream"/>).</summary>
    public bool ReadPending { get; set; }

    /// <summary>A slow reader's delayed read is scheduled.</summary>
    public bool ReadScheduled { get; set; }

    /// <summary>The process waits for room in the window to write.</summary>
    public TaskCompletionSource? Room { get; set; }

    /// <summary>A silence violation was already reported for this endpoint.</summary>
    public bool Reported { get; set; }

    public bool SlowReader { get; set; }

    public int ReadChunk { get; set; } = int.MaxValue;

    public int ReadDelayMs { get; set; }

    /// <summary>The process's stream on this end (set when the connection opens).</summary>
    public SimStream? Stream { get; set; }
}
