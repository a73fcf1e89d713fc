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
}
