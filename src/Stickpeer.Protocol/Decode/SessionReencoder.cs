// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Globalization;
using System.Text;
using Stickpeer.Protocol.Handshake;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Protocol.Decode;

/// <summary>
/// Re-encodes decoded items with the codec's writers (hello, status, control, DEFINE,
/// SWITCH, ACK, updates with implicit ids and the send-side <c>server_key</c> dictionary),
/// so a test can check that decoding then encoding gives back the original bytes.
/// </summary>
public static class SessionReencoder
{
    /// <summary>Encodes every item in order; items that cannot be re-encoded (unknown, skipped) throw.</summary>
    /// <exception cref="InvalidOperationException">An item has no encoder.</exception>
    public static byte[] Encode(IEnumerable<DecodedMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var writer = new ArrayBufferWriter<byte>();
        var txCache = new ServerKeyEncoderCache();
        var buffers = new Dictionary<TableSchema, EntryValues>();
        foreach (var m in messages)
        {
            switch (m.Kind)
            {
                case DecodedMessageKind.Hello:
                    WriteHello(writer, m.Hello!);
                    break;
                case DecodedMessageKind.Status:
                    HandshakeWriter.WriteStatus(writer, m.Status);
                    break;
                case DecodedMessageKind.Control:
                    PeerMessageWriter.WriteControl(writer, (ControlMessageType)m.Type);
                    break;
                case DecodedMessageKind.Error:
                    PeerMessageWriter.WriteError(writer, (ErrorMessageType)m.Type);
                    break;
                case DecodedMessageKind.Define:
                    PeerMessageWriter.WriteDefine(writer, m.Table!.TableId, m.Table.Schema
                        ?? throw new InvalidOperationException($"@{m.Offset}: ignored DEFINE cannot be re-encoded"));
                    break;
                case DecodedMessageKind.Switch:
                    PeerMessageWriter.WriteSwitch(writer, m.SwitchTableId);
                    break;
                case DecodedMessageKind.Ack:
                    PeerMessageWriter.WriteAck(writer, m.Ack.TableId, m.Ack.UpdateId);
                    break;
                case DecodedMessageKind.Update:
                {
                    var schema = m.Schema!;
                    if (!buffers.TryGetValue(schema, out var values))
                    {
                        values = new EntryValues(schema);
                        buffers[schema] = values;
                    }

                    m.Values.AsSpan().CopyTo(values.Slots);
                    PeerMessageWriter.WriteUpdate(writer, m.Timed, m.ExplicitId ? m.UpdateId : null, m.ExpireMs, m.Key, values, txCache);
                    break;
                }

                default:
                    throw new InvalidOperationException($"@{m.Offset}: {m.Kind} items cannot be re-encoded");
            }
        }

        return writer.WrittenSpan.ToArray();
    }

    private static void WriteHello(IBufferWriter<byte> writer, PeerHello hello)
    {
        var parts = Encoding.UTF8.GetString(hello.SenderLine).Split(' ');
        if (parts.Length != 3
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var relativePid)
            || !hello.TryGetVersion(out _, out var minor))
        {
            throw new InvalidOperationException("hello is not in the canonical form '<name> <pid> <relpid>'");
        }

        HandshakeWriter.WriteHello(writer, hello.TargetName, parts[0], pid, relativePid, downgraded: minor == 0);
    }
}
