// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Globalization;
using System.Text;
using Stickpeer.Protocol.Errors;
using Stickpeer.Protocol.Handshake;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Session;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Protocol.Decode;

/// <summary>
/// Decodes one direction of a peers session: the connector's hello or the acceptor's status
/// line, then every binary message. DEFINEs, SWITCHes, implicit update ids and the
/// <c>server_key</c> dictionary go through the session's own receive side
/// (<see cref="ReceivedTables"/>), so a dump decodes exactly as a <see cref="PeerSession"/>
/// would read it (a table without a known schema is ignored, its updates skipped). Decoding
/// stops at the first malformed or incomplete item; everything before it is kept.
/// </summary>
public sealed class SessionDecoder
{
    /// <summary>Largest payload accepted (far above HAProxy's 16 KiB default buffer, so large-bufsize captures decode).</summary>
    public const int MaxPayload = 1 << 20;

    private const int MaxHandshakeLine = 16384;

    // Every table with a schema is accepted under this receiver id: decode keeps all of them.
    private const int AnyTable = 1;

    private readonly ReceivedTables _received = new();
    private readonly List<DecodedMessage> _messages = [];

    private SessionDecoder()
    {
    }

    // How often a long decode reports how far it got: often enough for a smooth bar, rare enough
    // to cost nothing next to the decoding.
    private const int ProgressStep = 256 * 1024;

    private IProgress<long>? _progress;

    /// <summary>Decodes one direction of a session.</summary>
    public static SessionDecodeResult Decode(ReadOnlyMemory<byte> input) => Decode(input, null);

    /// <summary>Decodes one direction of a session, reporting the bytes decoded so far to <paramref name="progress"/> as it goes.</summary>
    public static SessionDecodeResult Decode(ReadOnlyMemory<byte> input, IProgress<long>? progress)
    {
        var decoder = new SessionDecoder { _progress = progress };
        var failure = decoder.Run(new ReadOnlySequence<byte>(input));
        progress?.Report(failure?.Offset ?? input.Length);
        return new SessionDecodeResult(decoder._messages, failure, input.Length);
    }

    /// <summary>Parses hex input text (see <see cref="HexInput"/>) and decodes it.</summary>
    /// <exception cref="FormatException">The text is not valid hex input.</exception>
    public static SessionDecodeResult DecodeHex(string text) => Decode(HexInput.Parse(text));

    private DecodeFailure? Run(ReadOnlySequence<byte> input)
    {
        long offset = 0;
        try
        {
            if (input.IsEmpty)
            {
                return null;
            }

            var first = input.FirstSpan[0];
            if (first is >= (byte)'0' and <= (byte)'9' or (byte)' ')
            {
                if (!ReadStatus(input, out offset, out var status))
                {
                    return new DecodeFailure(0, true, "Incomplete", "input ends inside the status line");
                }

                if (status != HandshakeStatus.Success && offset < input.Length)
                {
                    return new DecodeFailure(offset, false, "BytesAfterRefusal", $"{input.Length - offset} bytes follow a non-200 status line");
                }
            }
            else
            {
                var hello = HandshakeReader.TryReadHello(input, MaxHandshakeLine, out var h, out var consumed, out _);
                if (hello != OperationStatus.Done)
                {
                    return input.FirstSpan.StartsWith("HAProxyS"u8[..Math.Min(8, input.FirstSpan.Length)])
                        ? new DecodeFailure(0, true, "Incomplete", "input ends inside the hello")
                        : new DecodeFailure(0, false, "BadHandshake", "input starts with neither a hello (HAProxyS …) nor a status line");
                }

                offset = input.Slice(0, consumed).Length;
                var failure = AddHello(h!, offset);
                if (failure is not null)
                {
                    return failure;
                }
            }

            long reportAt = ProgressStep;
            while (offset < input.Length)
            {
                if (_progress is not null && offset >= reportAt)
                {
                    _progress.Report(offset);
                    reportAt = offset + ProgressStep;
                }

                var rest = input.Slice(offset);
                var status = PeerFrameScanner.TryRead(rest, MaxPayload, out var frame, out var consumed, out _);
                if (status != OperationStatus.Done)
                {
                    return new DecodeFailure(offset, true, "Incomplete", $"input ends inside a message ({rest.Length} bytes left: {Preview(rest)})");
                }

                var length = rest.Slice(0, consumed).Length;
                AddFrame(frame, offset, length);
                offset += length;
            }

            return null;
        }
        catch (PeerProtocolException ex)
        {
            return new DecodeFailure(offset, false, ex.Reason.ToString(), ex.Message);
        }
    }

    private static string Preview(ReadOnlySequence<byte> rest)
    {
        var n = (int)Math.Min(rest.Length, 16);
        var hex = Convert.ToHexString(rest.Slice(0, n).ToArray());
        return n < rest.Length ? hex + "…" : hex;
    }

    private bool ReadStatus(ReadOnlySequence<byte> input, out long offset, out HandshakeStatus status)
    {
        offset = 0;
        if (HandshakeReader.TryReadStatus(input, MaxHandshakeLine, out status, out var consumed, out _) != OperationStatus.Done)
        {
            return false;
        }

        offset = input.Slice(0, consumed).Length;
        var name = Enum.IsDefined(status) ? status.ToString() : "unknown";
        _messages.Add(new DecodedMessage
        {
            Offset = 0,
            Length = offset,
            Kind = DecodedMessageKind.Status,
            Status = status,
            Text = string.Create(CultureInfo.InvariantCulture, $"STATUS {(int)status} ({name})"),
        });
        return true;
    }

    private DecodeFailure? AddHello(PeerHello hello, long length)
    {
        var line3 = Encoding.UTF8.GetString(hello.SenderLine);
        var parts = line3.Split(' ');
        var version = hello.TryGetVersion(out var major, out var minor) ? $"{major}.{minor}" : "?";
        var text = $"HELLO version={version} to={ValueFormatter.Quote(hello.TargetNameLine)} from={ValueFormatter.Quote(Encoding.UTF8.GetBytes(parts[0]))}"
            + (parts.Length > 1 ? " pid=" + parts[1] : string.Empty)
            + (parts.Length > 2 ? " relpid=" + string.Join(' ', parts[2..]) : string.Empty);
        _messages.Add(new DecodedMessage { Offset = 0, Length = length, Kind = DecodedMessageKind.Hello, Hello = hello, Text = text });
        if (!hello.HasIdentifier)
        {
            return new DecodeFailure(0, false, "BadHandshake", "hello line 1 does not start with 'HAProxyS ' (HAProxy answers 501)");
        }

        if (hello.SenderName is null)
        {
            return new DecodeFailure(0, false, "BadHandshake", "hello line 3 has no space (HAProxy answers 501)");
        }

        return version == "?"
            ? new DecodeFailure(0, false, "BadHandshake", "hello version is not <major>.<minor> (HAProxy answers 502)")
            : null;
    }

    private void AddFrame(in PeerFrame frame, long offset, long length)
    {
        var m = frame.Class switch
        {
            (byte)MessageClass.Control => Control(frame.Type),
            (byte)MessageClass.Error => ErrorMessage(frame.Type),
            (byte)MessageClass.StickTable => StickTable(frame),
            _ => Unknown(frame),
        };
        _messages.Add(m with { Offset = offset, Length = length, Class = frame.Class, Type = frame.Type });
    }

    private static DecodedMessage Partial(DecodedMessageKind kind, string text) =>
        new() { Offset = 0, Length = 0, Kind = kind, Text = text };

    private static DecodedMessage Control(byte type) => Partial(
        DecodedMessageKind.Control,
        type switch
        {
            0 => "RESYNCREQ",
            1 => "RESYNCFINISHED",
            2 => "RESYNCPARTIAL",
            3 => "RESYNCCONFIRM",
            4 => "HEARTBEAT",
            _ => string.Create(CultureInfo.InvariantCulture, $"CONTROL type={type} (unknown, ignored)"),
        });

    private static DecodedMessage ErrorMessage(byte type) => Partial(
        DecodedMessageKind.Error,
        type switch
        {
            0 => "ERROR protocol-error",
            1 => "ERROR size-limit",
            _ => string.Create(CultureInfo.InvariantCulture, $"ERROR type={type} (unknown)"),
        });

    private static DecodedMessage Unknown(in PeerFrame frame) => Partial(
        DecodedMessageKind.Unknown,
        string.Create(CultureInfo.InvariantCulture, $"UNKNOWN class={frame.Class} type=0x{frame.Type:x2} len={frame.Payload.Length} (ignored)"));

    private DecodedMessage StickTable(in PeerFrame frame)
    {
        var type = (StickTableMessageType)frame.Type;
        switch (type)
        {
            case StickTableMessageType.Define:
            {
                var def = DefineMessage.Parse(frame.Payload);
                _received.Define(def, AnyTable);
                return new DecodedMessage
                {
                    Offset = 0,
                    Length = 0,
                    Kind = DecodedMessageKind.Define,
                    Table = def,
                    Text = FormatDefine(def),
                };
            }

            case StickTableMessageType.Switch:
            {
                var sw = SwitchMessage.Parse(frame.Payload);
                var current = _received.Switch(sw.TableId)?.Definition;
                var what = current is null ? "(unknown table id, following updates are skipped)" : "table=" + current.Name;
                return new DecodedMessage
                {
                    Offset = 0,
                    Length = 0,
                    Kind = DecodedMessageKind.Switch,
                    SwitchTableId = sw.TableId,
                    Table = current,
                    Text = string.Create(CultureInfo.InvariantCulture, $"SWITCH id={sw.TableId} {what}"),
                };
            }

            case StickTableMessageType.Ack:
            {
                var ack = AckMessage.Parse(frame.Payload);
                return new DecodedMessage
                {
                    Offset = 0,
                    Length = 0,
                    Kind = DecodedMessageKind.Ack,
                    Ack = ack,
                    Text = string.Create(CultureInfo.InvariantCulture, $"ACK table-id={ack.TableId} update-id={ack.UpdateId}"),
                };
            }

            case StickTableMessageType.Update:
            case StickTableMessageType.IncrementalUpdate:
            case StickTableMessageType.UpdateTimed:
            case StickTableMessageType.IncrementalUpdateTimed:
                return Update(frame, type);

            default:
                return Unknown(frame);
        }
    }

    private DecodedMessage Update(in PeerFrame frame, StickTableMessageType type)
    {
        var name = UpdateName(type);
        if (_received.ReadUpdate(type, frame.Payload) is not { Buffer: { } into } received)
        {
            var ignored = _received.Current?.Definition;
            var why = ignored is null ? "no current table" : "table " + ignored.Name + " ignored: " + ignored.IgnoreReason;
            return Partial(
                DecodedMessageKind.SkippedUpdate,
                string.Create(CultureInfo.InvariantCulture, $"{name} len={frame.Payload.Length} (skipped: {why})"));
        }

        var table = received.Definition;
        var schema = table.Schema!;

        var explicitId = type is StickTableMessageType.Update or StickTableMessageType.UpdateTimed;
        var sb = new StringBuilder(name)
            .Append(" table=").Append(table.Name)
            .Append(CultureInfo.InvariantCulture, $" id={into.UpdateId}")
            .Append(explicitId ? string.Empty : "(implicit)");
        if (into.HasExpire)
        {
            sb.Append(CultureInfo.InvariantCulture, $" expire={into.ExpireMs}");
        }

        sb.Append(" key=").Append(ValueFormatter.FormatKey(schema.KeyType, into.Key));
        ValueFormatter.AppendValues(sb, schema, into.Values.Slots);
        return new DecodedMessage
        {
            Offset = 0,
            Length = 0,
            Kind = DecodedMessageKind.Update,
            Table = table,
            ExplicitId = explicitId,
            Timed = into.HasExpire,
            UpdateId = into.UpdateId,
            ExpireMs = into.ExpireMs,
            Key = into.Key.ToArray(),
            Values = into.Values.Slots.ToArray(),
            Text = sb.ToString(),
        };
    }

    private static string UpdateName(StickTableMessageType type) => type switch
    {
        StickTableMessageType.Update => "UPDATE",
        StickTableMessageType.IncrementalUpdate => "INCUPDATE",
        StickTableMessageType.UpdateTimed => "UPDATE_TIMED",
        _ => "INCUPDATE_TIMED",
    };

    private static string FormatDefine(DecodedDefine def)
    {
        var sb = new StringBuilder("DEFINE")
            .Append(CultureInfo.InvariantCulture, $" id={def.TableId} table={def.Name}");
        var keyType = Enum.IsDefined(typeof(StickKeyType), (byte)Math.Min(def.KeyTypeCode, 255))
            ? ((StickKeyType)def.KeyTypeCode).ToString().ToLowerInvariant()
            : def.KeyTypeCode.ToString(CultureInfo.InvariantCulture);
        sb.Append(" keytype=").Append(keyType)
            .Append(CultureInfo.InvariantCulture, $" keysize={def.KeySize} mask=0x{def.DataTypeMask:x}");
        sb.Append(def.ExpireMs is { } e ? string.Create(CultureInfo.InvariantCulture, $" expire={e}") : " expire=(absent)");
        if (def.Schema is { } schema)
        {
            sb.Append(" data=[");
            var first = true;
            foreach (var spec in schema.DataTypes)
            {
                sb.Append(first ? string.Empty : ",").Append(spec.Info.Name);
                first = false;
                if (spec.Info.IsArray && spec.Info.HasPeriod)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"({spec.ArrayLength},{spec.PeriodMs})");
                }
                else if (spec.Info.IsArray)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"({spec.ArrayLength})");
                }
                else if (spec.Info.HasPeriod)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"({spec.PeriodMs})");
                }
            }

            sb.Append(']');
            var unknown = def.DataTypeMask >> DataTypeCatalogue.Count;
            if (unknown != 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $" unknown-types-mask=0x{unknown << DataTypeCatalogue.Count:x}");
            }
        }
        else
        {
            sb.Append(" (ignored: ").Append(def.IgnoreReason).Append(')');
        }

        return sb.ToString();
    }
}
