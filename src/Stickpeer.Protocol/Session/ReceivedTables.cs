// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Errors;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Protocol.Session;

/// <summary>
/// The table side of receiving one direction of a session: which table each sender table id
/// names (DEFINE, re-DEFINE), the current table (SWITCH), the last update id per table (for
/// implicit ids) and the receive-side <c>server_key</c> dictionary. <see cref="PeerSession"/>
/// receives through it, and so does <c>SessionDecoder</c> (<c>stickpeer decode</c>), so a dump
/// decodes exactly as a session would read it.
/// </summary>
internal sealed class ReceivedTables(int maxTables = PeerProtocolLimits.DefaultMaxTablesPerSession)
{
    private readonly Dictionary<int, ReceivedTable> _bySenderId = [];
    private readonly List<ReceivedTable> _accepted = [];
    private readonly ServerKeyDecoderCache _dictionary = new();

    /// <summary>The table updates apply to (null before any DEFINE, or after a SWITCH to an unknown id).</summary>
    public ReceivedTable? Current { get; private set; }

    /// <summary>Tables whose updates are decoded, in DEFINE order (the order ACKs go out in).</summary>
    public IReadOnlyList<ReceivedTable> Accepted => _accepted;

    /// <summary>
    /// A DEFINE: the sender id now names <paramref name="definition"/> (a re-used id forgets its
    /// previous table) and it becomes current. <paramref name="localId"/> ≤ 0, or a definition
    /// without schema, means the receiver ignores the table: its updates are skipped.
    /// </summary>
    public ReceivedTable Define(DecodedDefine definition, int localId)
    {
        EnsureRoomFor(definition.TableId);
        if (_bySenderId.Remove(definition.TableId, out var old))
        {
            _accepted.Remove(old);
        }

        var table = new ReceivedTable(definition, definition.Schema is null ? 0 : localId);
        _bySenderId[definition.TableId] = table;
        if (table.IsAccepted)
        {
            _accepted.Add(table);
        }

        Current = table;
        return table;
    }

    /// <summary>
    /// Throws <see cref="ProtocolError.TooManyTables"/> when <paramref name="senderId"/> is a new id
    /// and the session already holds the most ids allowed (re-defining a known id is always fine).
    /// </summary>
    public void EnsureRoomFor(int senderId)
    {
        if (_bySenderId.Count >= maxTables && !_bySenderId.ContainsKey(senderId))
        {
            ThrowHelper.ThrowProtocol(ProtocolError.TooManyTables, $"more than {maxTables} table ids defined in one session");
        }
    }

    /// <summary>A SWITCH: the table the sender id names becomes current (none when unknown).</summary>
    public ReceivedTable? Switch(int senderId) => Current = _bySenderId.GetValueOrDefault(senderId);

    /// <summary>
    /// Decodes an update (0x80–0x86) into the current table's buffer and remembers its id; returns
    /// that table, or null when there is no accepted current table (the update is skipped).
    /// </summary>
    public ReceivedTable? ReadUpdate(StickTableMessageType type, ReadOnlySpan<byte> payload)
    {
        if (Current is not { Buffer: { } buffer } table)
        {
            return null;
        }

        UpdateMessageReader.Read(payload, type, table.LastReceived, _dictionary, buffer);
        table.LastReceived = buffer.UpdateId;
        return table;
    }

    /// <summary>
    /// As <see cref="ReadUpdate(StickTableMessageType, ReadOnlySpan{byte})"/>, into the next buffer of
    /// the current table's run (<see cref="ReceivedTable.NextInRun"/>; the caller counts it in
    /// <see cref="ReceivedTable.Pending"/> and hands the run over before it is full).
    /// </summary>
    public ReceivedTable? ReadUpdateIntoRun(StickTableMessageType type, ReadOnlySpan<byte> payload)
    {
        if (Current is not { } table || table.NextInRun() is not { } buffer)
        {
            return null;
        }

        UpdateMessageReader.Read(payload, type, table.LastReceived, _dictionary, buffer);
        table.LastReceived = buffer.UpdateId;
        return table;
    }

    /// <summary>As <see cref="ReadUpdate(StickTableMessageType, ReadOnlySpan{byte})"/>, for a payload held in a sequence.</summary>
    public ReceivedTable? ReadUpdate(StickTableMessageType type, in ReadOnlySequence<byte> payload)
    {
        if (Current is not { Buffer: { } buffer } table)
        {
            return null;
        }

        UpdateMessageReader.Read(payload, type, table.LastReceived, _dictionary, buffer);
        table.LastReceived = buffer.UpdateId;
        return table;
    }
}
