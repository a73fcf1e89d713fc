// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Errors;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Fuzz.Targets;

/// <summary>
/// The frame scanner and every stick-table message reader, as a receiver runs them: bytes 0-1
/// seed a random "current table" schema, byte 2 picks the segment split, the rest is a
/// stream of messages (a DEFINE in it replaces the current table). Accepted updates and
/// DEFINEs are re-encoded with the writer and decoded again, which must give the same values.
/// </summary>
public sealed class FrameDecoder : IFuzzTarget
{
    private const int MaxMessages = 256;

    public static void Fuzz(ReadOnlySpan<byte> data)
    {
        if (data.Length < 3)
        {
            return;
        }

        TableSchema? current = RandomSchema.Create(data[0], data[1]);
        var input = FuzzInput.Split(data[3..], data[2]);
        var rxCache = new ServerKeyDecoderCache();
        uint previous = 0;
        try
        {
            for (var n = 0; n < MaxMessages; n++)
            {
                if (PeerFrameScanner.TryRead(input, PeerProtocolLimits.DefaultMaxPayload, out var frame, out var consumed, out _) != OperationStatus.Done)
                {
                    return;
                }

                if (frame.Class == (byte)MessageClass.StickTable)
                {
                    switch ((StickTableMessageType)frame.Type)
                    {
                        case StickTableMessageType.Define:
                            var def = DefineMessage.Parse(frame.Payload);
                            current = def.Schema;
                            previous = 0;
                            if (def.Schema is not null && def.ExpireMs is not null)
                            {
                                CheckDefineRoundTrip(def);
                            }

                            break;
                        case StickTableMessageType.Switch:
                            _ = SwitchMessage.Parse(frame.Payload);
                            break;
                        case StickTableMessageType.Ack:
                            _ = AckMessage.Parse(frame.Payload);
                            break;
                        case StickTableMessageType.Update:
                        case StickTableMessageType.IncrementalUpdate:
                        case StickTableMessageType.UpdateTimed:
                        case StickTableMessageType.IncrementalUpdateTimed:
                            if (current is not null)
                            {
                                var update = new DecodedUpdate(current);
                                UpdateMessageReader.Read(frame.Payload, (StickTableMessageType)frame.Type, previous, rxCache, update);
                                previous = update.UpdateId;
                                if (frame.Payload.Length <= PeerProtocolLimits.DefaultMaxPayload / 2)
                                {
                                    CheckUpdateRoundTrip(update);
                                }
                            }

                            break;
                    }
                }

                input = input.Slice(consumed);
            }
        }
        catch (PeerProtocolException)
        {
        }
    }

    private static void CheckDefineRoundTrip(DecodedDefine def)
    {
        var writer = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteDefine(writer, def.TableId, def.Schema!);
        var again = DefineMessage.Parse(PayloadOf(writer.WrittenSpan));
        if (again.Schema is null || again.TableId != def.TableId || again.Schema.ToString() != def.Schema!.ToString())
        {
            throw new InvalidOperationException($"DEFINE round trip changed {def} into {again}");
        }
    }

    private static void CheckUpdateRoundTrip(DecodedUpdate update)
    {
        var schema = update.Values.Schema;
        var writer = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteUpdate(writer, update.HasExpire, update.UpdateId, update.ExpireMs, update.Key, update.Values, new ServerKeyEncoderCache());
        var again = new DecodedUpdate(schema);
        var type = update.HasExpire ? StickTableMessageType.UpdateTimed : StickTableMessageType.Update;
        UpdateMessageReader.Read(PayloadOf(writer.WrittenSpan), type, 0, new ServerKeyDecoderCache(), again);
        var a = update.Values.Slots;
        var b = again.Values.Slots;
        var keyOk = schema.KeyType == StickKeyType.Binary
            ? again.Key.StartsWith(update.Key)
            : again.Key.SequenceEqual(update.Key);
        if (!keyOk || again.UpdateId != update.UpdateId || again.ExpireMs != update.ExpireMs || a.Length != b.Length)
        {
            throw new InvalidOperationException("update round trip changed the key, id or expire");
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i].Number != b[i].Number || a[i].AgeMs != b[i].AgeMs || a[i].Current != b[i].Current
                || a[i].Previous != b[i].Previous || a[i].Text != b[i].Text)
            {
                throw new InvalidOperationException($"update round trip changed value slot {i}");
            }
        }
    }

    private static ReadOnlySpan<byte> PayloadOf(ReadOnlySpan<byte> message)
    {
        PeerVarint.TryRead(message[2..], out var length, out var used);
        return message.Slice(2 + used, (int)length);
    }
}
