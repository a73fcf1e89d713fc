// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;

namespace Stickpeer.Node.Transport;

/// <summary>
/// What the transport needs from a sans-IO node core (one peers section). Calls are serialised by
/// the transport (never concurrent). Connection ids are allocated by the core.
/// </summary>
public interface IReplicationCore
{
    /// <summary>A peer connected to our listener (after TLS, if any); returns its connection id.</summary>
    long Accept();

    /// <summary>An outbound connection asked for by <see cref="CoreActionKind.Connect"/> is up.</summary>
    void Connected(long connection);

    /// <summary>Bytes arrived; the core says how far it consumed and examined them.</summary>
    void Receive(long connection, ReadOnlySequence<byte> data, out SequencePosition consumed, out SequencePosition examined);

    /// <summary>The transport of a connection is gone (or never came up).</summary>
    void Closed(long connection, string reason);

    /// <summary>Periodic timer tick.</summary>
    void Tick();

    /// <summary>Runs pending work after outside changes (e.g. a table was changed from the CLI).</summary>
    void Flush();

    /// <summary>Next transport action asked for by the core.</summary>
    bool TryDequeueAction(out CoreAction action);

    /// <summary>Bytes waiting to be written on a connection (valid until the next core call).</summary>
    bool TryGetOutput(long connection, out ReadOnlySequence<byte> pending);

    /// <summary>Tells the core that <paramref name="bytes"/> of its pending output were written.</summary>
    void AdvanceOutput(long connection, long bytes);
}
