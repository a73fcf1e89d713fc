// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Protocol.Session;

/// <summary>One DEFINE as a receiver keeps it (see <see cref="ReceivedTables"/>).</summary>
internal sealed class ReceivedTable
{
    public ReceivedTable(DecodedDefine definition, int localId)
    {
        Definition = definition;
        LocalId = localId;
        Buffer = localId > 0 && definition.Schema is { } schema ? new DecodedUpdate(schema) : null;
    }

    public DecodedDefine Definition { get; }

    /// <summary>The sender's table id (what ACKs name).</summary>
    public int SenderId => Definition.TableId;

    /// <summary>The receiver's id for the table; ≤ 0 when ignored.</summary>
    public int LocalId { get; }

    /// <summary>True when updates of this table are decoded (the receiver knows it and its schema).</summary>
    public bool IsAccepted => Buffer is not null;

    /// <summary>The last update decoded (reused: valid until the next update of this table); null when ignored.</summary>
    public DecodedUpdate? Buffer { get; }

    /// <summary>Id of the last update received (base of implicit ids).</summary>
    public uint LastReceived { get; set; }

    /// <summary>An ACK for <see cref="LastReceived"/> is owed (session bookkeeping).</summary>
    public bool AckDue { get; set; }

    /// <summary>Updates received since the last ACK went out (session bookkeeping).</summary>
    public int UnackedUpdates { get; set; }

    /// <summary>Updates decoded into <see cref="Run"/> and not yet handed to the session's handler.</summary>
    public int Pending { get; set; }

    /// <summary>
    /// The buffer for the next update of a run (<see cref="Pending"/> is its index): a session
    /// decodes consecutive updates of one table into a run and hands them over together.
    /// Null when the table is ignored. The first buffer is <see cref="Buffer"/>.
    /// </summary>
    public DecodedUpdate? NextInRun()
    {
        if (Buffer is not { } first)
        {
            return null;
        }

        if (_run is null)
        {
            _run = new DecodedUpdate[RunLength];
            _run[0] = first;
        }

        return _run[Pending] ??= new DecodedUpdate(first.Values.Schema);
    }

    /// <summary>The updates of the current run (valid until the next run starts).</summary>
    public ReadOnlySpan<DecodedUpdate> Run => _run.AsSpan(0, Pending);

    /// <summary>The longest run a session hands over at once.</summary>
    public const int RunLength = 64;

    private DecodedUpdate[]? _run;
}
