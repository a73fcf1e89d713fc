// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// One direction of a simulated TCP connection: an ordered queue of chunks in flight.
/// Each chunk is ready at max(previous chunk's ready time, send time + latency), so a
/// connection never reorders while different connections do. A partition holds the
/// queue (TCP would retransmit) until it heals.
/// </summary>
internal sealed class SimPipe
{
    public SimPipe(int from, int to) => (From, To) = (from, to);

    public int From { get; }

    public int To { get; }

    public Queue<(byte[]? Data, bool Reset, long ReadyAt)> Queue { get; } = new();

    public long LastReadyAt { get; set; }

    public bool DeliveryScheduled { get; set; }

    public int InFlightBytes { get; set; }

    public long SentBytes { get; set; }

    /// <summary>Stream offset at which the network cuts this direction (null: never).</summary>
    public long? CutAt { get; set; }

    /// <summary>No more data may be sent (FIN or reset queued).</summary>
    public bool Closed { get; set; }

    /// <summary>The endpoint receiving this direction.</summary>
    public SimEndpoint? Receiver { get; set; }

    /// <summary>The endpoint sending this direction.</summary>
    public SimEndpoint? Sender { get; set; }
}
