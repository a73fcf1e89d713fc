// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Errors;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Protocol.Session;

/// <content>Binary messages: receive loop, dispatch, and the send methods.</content>
public sealed partial class PeerSession
{
    private readonly ReceivedTables _received;
    private readonly ServerKeyEncoderCache _txDictionary = new();
    private readonly UpdateRateLimiter? _updateLimiter;
    private bool _lessonRequested;

    /// <summary>True once the session may send binary messages.</summary>
    public bool IsEstablished => State == PeerSessionState.Established;

    /// <summary>
    /// Marks the updates from now until the peer's <c>00 01</c>/<c>00 02</c> as a lesson, exempt from
    /// the update rate limit, for a lesson that comes without our <c>00 00</c> (a reload's hand-over).
    /// Sending <c>00 00</c> does the same.
    /// </summary>
    public void ExpectLesson() => _lessonRequested = true;

    /// <summary>Queues a control message. False when the session is not established.</summary>
    public bool SendControl(ControlMessageType control)
    {
        if (!IsEstablished)
        {
            return false;
        }

        PeerMessageWriter.WriteControl(Output, control);
        Counters.MessagesSent++;
        if (control == ControlMessageType.ResyncRequest)
        {
            _lessonRequested = true; // the lesson's updates are not rate limited (see PeerSessionOptions)
        }

        if (control == ControlMessageType.Heartbeat)
        {
            Counters.HeartbeatsSent++;
        }

        MarkSent();
        return true;
    }

    /// <summary>Queues a DEFINE for our table <paramref name="localTableId"/> (≥ 1). False when not established.</summary>
    public bool SendDefine(int localTableId, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (!IsEstablished || localTableId <= 0)
        {
            return false;
        }

        PeerMessageWriter.WriteDefine(Output, localTableId, schema);
        Counters.MessagesSent++;
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
    public bool SendUpdate(DecodedUpdate entry, bool timed, bool explicitId) => SendUpdate(entry, timed, explicitId, _time.GetUtcNow());

    /// <summary>
    /// Like <see cref="SendUpdate(DecodedUpdate, bool, bool)"/>, with the send time read by the caller
    /// (one clock read for a whole pass of updates instead of one per update).
    /// </summary>
    public bool SendUpdate(DecodedUpdate entry, bool timed, bool explicitId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!IsEstablished)
        {
            return false;
        }

        PeerMessageWriter.WriteUpdate(Output, timed && !RemoteDowngraded, explicitId ? entry.UpdateId : null, entry.ExpireMs, entry.Key, entry.Values, _txDictionary);
        Counters.MessagesSent++;
        Counters.UpdatesSent++;
        if (now > _lastSentAt)
        {
            _lastSentAt = now;
        }

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
        foreach (var rx in _received.Accepted)
        {
            if (rx.AckDue)
            {
                PeerMessageWriter.WriteAck(Output, rx.SenderId, rx.LastReceived);
                Counters.MessagesSent++;
                rx.AckDue = false;
                rx.UnackedUpdates = 0;
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
        try
        {
            while (State == PeerSessionState.Established)
            {
                if (rest.FirstSpan.Length >= PeerProtocolLimits.MaxFrameHeader || rest.IsSingleSegment)
                {
                    // Fast path: whole messages in the first segment, scanned as a span.
                    var used = ReceiveContiguous(rest.FirstSpan, out var failed);
                    rest = rest.Slice(used);
                    if (failed || State != PeerSessionState.Established)
                    {
                        return;
                    }

                    if (used > 0)
                    {
                        continue; // the rest may start in the next segment
                    }

                    if (rest.IsSingleSegment)
                    {
                        return; // a partial message: need more data
                    }
                }

                // A message straddling segments (or a short first segment): one through the sequence scanner.
                if (PeerFrameScanner.TryRead(rest, _options.MaxPayload, out var frame, out var consumed, out _) != OperationStatus.Done)
                {
                    return;
                }

                rest = rest.Slice(consumed);
                Counters.MessagesReceived++;
                var payload = new PayloadSpan(frame.Payload);
                try
                {
                    Dispatch(frame.Class, frame.Type, payload.Span);
                }
                finally
                {
                    payload.Dispose();
                }
            }
        }
        catch (PeerProtocolException ex)
        {
            FailProtocol(ex);
        }
        finally
        {
            // A run still pending when the buffer ends (or fails) is applied before the caller sends ACKs.
            if (State == PeerSessionState.Established)
            {
                FlushRun();
            }
            else if (_pendingRun is { } dropped)
            {
                dropped.Pending = 0; // the session ended: nothing more is applied
                _pendingRun = null;
            }
        }
    }

    /// <summary>Processes every complete message at the start of <paramref name="buffer"/>; returns the bytes used (a failing message included).</summary>
    private int ReceiveContiguous(ReadOnlySpan<byte> buffer, out bool failed)
    {
        var used = 0;
        failed = false;
        try
        {
            while (State == PeerSessionState.Established
                && PeerFrameScanner.TryRead(buffer[used..], _options.MaxPayload, out var frame, out var n) == OperationStatus.Done)
            {
                used += n;
                Counters.MessagesReceived++;
                Dispatch(frame.Class, frame.Type, frame.Payload);
            }
        }
        catch (PeerProtocolException ex)
        {
            failed = true;
            FailProtocol(ex);
        }

        return used;
    }

    private void Dispatch(byte cls, byte type, ReadOnlySpan<byte> payload)
    {
        if (_pendingRun is not null && (cls != (byte)MessageClass.StickTable || !UpdateMessageReader.IsUpdate((StickTableMessageType)type)))
        {
            FlushRun(); // what follows (a SWITCH, an ACK, 00 01, an error) sees every update before it applied
        }

        switch ((MessageClass)cls)
        {
            case MessageClass.Control:
                OnControlMessage(type);
                return;
            case MessageClass.Error:
                SessionLog.RemoteError(_logger, Id, PeerLabel, type);
                CloseCore(SessionCloseReason.RemoteError, "peer sent error message type " + type);
                return;
            case MessageClass.StickTable:
                OnTableMessage((StickTableMessageType)type, payload);
                return;
            default:
                return; // unknown classes are skipped (255 is rejected by the scanner)
        }
    }

    private void OnControlMessage(byte type)
    {
        if (type > (byte)ControlMessageType.Heartbeat)
        {
            return; // unknown control types are skipped
        }

        var control = (ControlMessageType)type;
        switch (control)
        {
            case ControlMessageType.Heartbeat:
                Counters.HeartbeatsReceived++;
                break;
            case ControlMessageType.ResyncFinished:
            case ControlMessageType.ResyncPartial:
                // Every FINISHED/PARTIAL is confirmed, even an unsolicited one (spec §6.4). ACKs for the
                // lesson go out first: a teacher that already resumed after 00 03 would take a late ACK
                // carrying a lesson id as its new resume position.
                _lessonRequested = false;
                FlushAcks();
                PeerMessageWriter.WriteControl(Output, ControlMessageType.ResyncConfirm);
                Counters.MessagesSent++;
                MarkSent();
                break;
        }

        _handler.OnControl(control);
    }

    private void OnTableMessage(StickTableMessageType type, ReadOnlySpan<byte> payload)
    {
        switch (type)
        {
            case StickTableMessageType.Define:
                OnDefine(DefineMessage.Parse(payload));
                return;
            case StickTableMessageType.Switch:
                _received.Switch(SwitchMessage.Parse(payload).TableId);
                return;
            case StickTableMessageType.Ack:
                var ack = AckMessage.Parse(payload);
                _handler.OnAck(ack.TableId, ack.UpdateId);
                return;
            default:
                if (UpdateMessageReader.IsUpdate(type))
                {
                    OnUpdate(type, payload);
                }

                return; // unknown table message types are skipped
        }
    }

    private void OnDefine(DecodedDefine definition)
    {
        // Before the handler sees it: a refused DEFINE must leave no trace in the node.
        _received.EnsureRoomFor(definition.TableId);
        var localId = 0;
        if (definition.Schema is { } schema)
        {
            localId = _handler.OnDefine(definition.TableId, schema);
        }
        else
        {
            _handler.OnTableUnusable(definition);
        }

        if (!_received.Define(definition, localId).IsAccepted)
        {
            SessionLog.TableIgnored(_logger, Id, PeerLabel, definition.TableId, definition.Name);
        }
    }

    private void OnUpdate(StickTableMessageType type, ReadOnlySpan<byte> payload)
    {
        // Every update counts, also those of an ignored table: decoding them costs the same.
        if (!_lessonRequested && _updateLimiter is { } limiter && !limiter.TryTake())
        {
            ThrowHelper.ThrowProtocol(ProtocolError.UpdateRateLimit, $"more than {_options.MaxUpdatesPerSecond} updates a second (burst {_options.UpdateBurst})");
        }

        if (_pendingRun is { } pending && !ReferenceEquals(pending, _received.Current))
        {
            FlushRun(); // defensive: a run is one table's (a table changes only by a message that flushes)
        }

        if (_received.ReadUpdateIntoRun(type, payload) is not { } rx)
        {
            Counters.UpdatesIgnored++;
            return;
        }

        rx.AckDue = true;
        rx.UnackedUpdates++;
        Counters.UpdatesReceived++;
        rx.Pending++;
        _pendingRun = rx;
        if (rx.Pending == ReceivedTable.RunLength)
        {
            FlushRun();
        }
    }

    private void FailProtocol(PeerProtocolException ex)
    {
        // Updates decoded before the bad message are applied, as they were when each applied at once.
        FlushRun();
        FailProtocol(ex.Reason == ProtocolError.SizeLimit ? SessionCloseReason.SizeLimit : SessionCloseReason.ProtocolError, ex.Reason, ex.Message);
    }

    /// <summary>
    /// The transport holds <paramref name="buffered"/> received bytes that the session could not
    /// consume (a partial message longer than the transport buffers). Answered as a size limit
    /// (<c>01 01</c>, <see cref="ProtocolError.InputOverflow"/>), and the session closes. False
    /// when the session is not established (nothing is sent then).
    /// </summary>
    public bool RefuseInput(long buffered)
    {
        if (State != PeerSessionState.Established)
        {
            return false;
        }

        FailProtocol(SessionCloseReason.SizeLimit, ProtocolError.InputOverflow, $"{buffered} bytes received without a complete message");
        return true;
    }

    private void FailProtocol(SessionCloseReason reason, ProtocolError error, string why)
    {
        Counters.ProtocolErrors++;
        Counters.ProtocolErrorKind = error;
        var reply = reason == SessionCloseReason.SizeLimit ? ErrorMessageType.SizeLimit : ErrorMessageType.ProtocolError;
        SessionLog.ProtocolError(_logger, Id, PeerLabel, error, reply);
        PeerMessageWriter.WriteError(Output, reply);
        Counters.MessagesSent++;
        MarkSent();
        CloseCore(reason, why);
    }
}
