// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Protocol.Session;

/// <content>Binary messages: receive loop, dispatch, and the send methods.</content>
public sealed partial class PeerSession
{
    private readonly Dictionary<uint, RxTable> _rxTables = [];
    private readonly List<RxTable> _rxOrder = [];
    private readonly SessionTableCodec _codec = new(available: false);
    private RxTable? _currentRx;

    /// <summary>True once the session may send binary messages.</summary>
    public bool IsEstablished => State == PeerSessionState.Established;

    /// <summary>Queues a control message. False when the session is not established.</summary>
    public bool SendControl(PeerControlType control)
    {
        if (!IsEstablished)
        {
            return false;
        }

        SessionWire.WriteShort(Output, SessionWire.ClassControl, (byte)control);
        if (control == PeerControlType.Heartbeat)
        {
            Counters.HeartbeatsSent++;
        }

        MarkSent();
        return true;
    }

    /// <summary>Queues a DEFINE for our table <paramref name="localTableId"/> (≥ 1). False when not established.</summary>
    public bool SendDefine(uint localTableId, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (!IsEstablished || localTableId == 0)
        {
            return false;
        }

        _codec.WriteDefine(Output, localTableId, schema);
        MarkSent();
        return true;
    }

    /// <summary>
    /// Queues one update of the table last defined with <see cref="SendDefine"/>: key, values
    /// (in our schema), <see cref="DecodedUpdate.UpdateId"/> and, for <paramref name="timed"/>
    /// updates (0x85/0x86), <see cref="DecodedUpdate.ExpireMs"/>. With <paramref name="explicitId"/>
    /// false the implicit forms (0x81/0x86) are used; the caller guarantees the id is the previous + 1.
    /// Timed updates become plain ones for a downgraded (2.0) peer. False when not established.
    /// </summary>
    public bool SendUpdate(DecodedUpdate entry, bool timed, bool explicitId)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!IsEstablished)
        {
            return false;
        }

        _codec.WriteUpdate(Output, timed && !RemoteDowngraded, explicitId ? entry.UpdateId : null, entry);
        Counters.UpdatesSent++;
        MarkSent();
        return true;
    }

    /// <summary>
    /// Queues one cumulative ACK per remote table whose last received update id was not yet
    /// acknowledged. Call once per batch of received messages. Returns the number of ACKs queued.
    /// </summary>
    public int FlushAcks()
    {
        if (!IsEstablished)
        {
            return 0;
        }

        var n = 0;
        foreach (var rx in _rxOrder)
        {
            if (rx.AckDue)
            {
                SessionWire.WriteAck(Output, rx.SenderId, rx.LastReceived);
                rx.AckDue = false;
                n++;
            }
        }

        if (n > 0)
        {
            Counters.AcksSent += n;
            MarkSent();
        }

        return n;
    }

    private void ReceiveMessages(ref ReadOnlySequence<byte> rest)
    {
        while (State == PeerSessionState.Established)
        {
            var status = SessionWire.TryReadFrame(rest, _options.MaxPayload, out var cls, out var type, out var payload, out var next);
            switch (status)
            {
                case OperationStatus.NeedMoreData:
                    return;
                case OperationStatus.InvalidData:
                    FailProtocol(SessionCloseReason.ProtocolError, "length varint longer than 5 bytes");
                    return;
                case OperationStatus.DestinationTooSmall:
                    FailProtocol(SessionCloseReason.SizeLimit, "message larger than " + _options.MaxPayload + " bytes");
                    return;
            }

            rest = rest.Slice(next);
            Counters.MessagesReceived++;
            Dispatch(cls, type, payload);
        }
    }

    private void Dispatch(byte cls, byte type, in ReadOnlySequence<byte> payload)
    {
        switch (cls)
        {
            case SessionWire.ClassControl:
                OnControlMessage(type);
                return;
            case SessionWire.ClassError:
                SessionLog.RemoteError(_logger, Id, PeerLabel, type);
                CloseCore(SessionCloseReason.RemoteError, "peer sent 01 " + type.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                return;
            case SessionWire.ClassTable:
                OnTableMessage(type, payload);
                return;
            case SessionWire.ClassReserved:
                FailProtocol(SessionCloseReason.ProtocolError, "reserved message class 255");
                return;
            default:
                return; // unknown classes are skipped
        }
    }

    private void OnControlMessage(byte type)
    {
        if (type > (byte)PeerControlType.Heartbeat)
        {
            return; // unknown control types are skipped
        }

        var control = (PeerControlType)type;
        switch (control)
        {
            case PeerControlType.Heartbeat:
                Counters.HeartbeatsReceived++;
                break;
            case PeerControlType.ResyncFinished:
            case PeerControlType.ResyncPartial:
                // Every FINISHED/PARTIAL is confirmed, even an unsolicited one (spec §6.4).
                SessionWire.WriteShort(Output, SessionWire.ClassControl, (byte)PeerControlType.ResyncConfirm);
                MarkSent();
                break;
        }

        _handler.OnControl(control);
    }

    private void OnTableMessage(byte type, in ReadOnlySequence<byte> payload)
    {
        switch (type)
        {
            case SessionWire.TypeDefine:
                OnDefine(payload);
                return;
            case SessionWire.TypeSwitch:
                if (!SessionWire.TryParseSwitch(ToSpan(payload, stackalloc byte[16]), out var switchId))
                {
                    FailProtocol(SessionCloseReason.ProtocolError, "SWITCH without a table id");
                    return;
                }

                _currentRx = _rxTables.GetValueOrDefault(switchId);
                return;
            case SessionWire.TypeAck:
                if (!SessionWire.TryParseAck(ToSpan(payload, stackalloc byte[16]), out var ackTable, out var ackId))
                {
                    FailProtocol(SessionCloseReason.ProtocolError, "malformed ACK");
                    return;
                }

                _handler.OnAck(ackTable, ackId);
                return;
            case SessionWire.TypeUpdate:
            case SessionWire.TypeIncUpdate:
            case SessionWire.TypeUpdateTimed:
            case SessionWire.TypeIncUpdateTimed:
                OnUpdate(type, payload);
                return;
            default:
                return; // unknown table message types are skipped
        }
    }

    private void OnDefine(in ReadOnlySequence<byte> payload)
    {
        if (!_codec.TryParseDefine(payload, out var senderId, out var schema))
        {
            _currentRx = null;
            return;
        }

        // A re-used sender id forgets the previous mapping.
        if (_rxTables.Remove(senderId, out var old))
        {
            _rxOrder.Remove(old);
        }

        if (schema is null || senderId == 0)
        {
            _currentRx = null;
            return;
        }

        var localId = _handler.OnDefine(senderId, schema);
        if (localId == 0)
        {
            SessionLog.TableIgnored(_logger, Id, PeerLabel, senderId, schema.Name);
            _currentRx = null;
            return;
        }

        var rx = new RxTable(senderId, localId, new DecodedUpdate(schema));
        _rxTables[senderId] = rx;
        _rxOrder.Add(rx);
        _currentRx = rx;
    }

    private void OnUpdate(byte type, in ReadOnlySequence<byte> payload)
    {
        var rx = _currentRx;
        if (rx is null)
        {
            Counters.UpdatesIgnored++;
            return;
        }

        _codec.ReadUpdate(payload, type, rx.LastReceived, rx.Buffer);
        rx.LastReceived = rx.Buffer.UpdateId;
        rx.AckDue = true;
        Counters.UpdatesReceived++;
        _handler.OnUpdate(rx.LocalId, rx.Buffer);
    }

    private void FailProtocol(SessionCloseReason reason, string why)
    {
        Counters.ProtocolErrors++;
        var reply = reason == SessionCloseReason.SizeLimit ? (byte)1 : (byte)0;
        SessionLog.ProtocolError(_logger, Id, PeerLabel, why, reply == 1 ? "01 01" : "01 00");
        SessionWire.WriteShort(Output, SessionWire.ClassError, reply);
        MarkSent();
        CloseCore(reason, why);
    }

    private static ReadOnlySpan<byte> ToSpan(in ReadOnlySequence<byte> payload, Span<byte> scratch)
    {
        if (payload.IsSingleSegment)
        {
            return payload.FirstSpan;
        }

        var n = (int)Math.Min(payload.Length, scratch.Length);
        payload.Slice(0, n).CopyTo(scratch);
        return scratch[..n];
    }

    private sealed class RxTable(uint senderId, uint localId, DecodedUpdate buffer)
    {
        public uint SenderId { get; } = senderId;

        public uint LocalId { get; } = localId;

        public DecodedUpdate Buffer { get; } = buffer;

        public uint LastReceived { get; set; }

        public bool AckDue { get; set; }
    }
}
