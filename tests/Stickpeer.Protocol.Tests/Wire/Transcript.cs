// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;

namespace Stickpeer.Protocol.Tests.Wire;

/// <summary>
/// A minimal receiving session for tests: scans every frame of a buffer, tracks the current
/// table from DEFINE/SWITCH, decodes updates in the sender's schema, and renders everything
/// as text so that differently fragmented inputs can be compared.
/// </summary>
internal sealed class Transcript
{
    private readonly Dictionary<int, DecodedDefine> _tables = [];
    private readonly ServerKeyDecoderCache _rx = new();
    private DecodedDefine? _current;
    private uint _lastId;

    public List<string> Lines { get; } = [];

    /// <summary>Decodes every complete frame; returns the number of bytes consumed.</summary>
    public long Feed(ReadOnlySequence<byte> buffer, int maxPayload = PeerProtocolLimits.DefaultMaxPayload)
    {
        long total = 0;
        while (PeerFrameScanner.TryRead(buffer, maxPayload, out var frame, out var consumed, out var examined) == OperationStatus.Done)
        {
            Assert.Equal(consumed, examined);
            var before = buffer.Length;
            Handle(frame);
            buffer = buffer.Slice(consumed);
            total += before - buffer.Length;
        }

        return total;
    }

    public static List<string> Decode(ReadOnlySequence<byte> buffer)
    {
        var t = new Transcript();
        var consumed = t.Feed(buffer);
        Assert.Equal(buffer.Length, consumed);
        return t.Lines;
    }

    private void Handle(PeerFrame frame)
    {
        var line = new StringBuilder().Append(frame.Class).Append('/').Append(frame.Type.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)).Append(' ');
        if (frame.Class == (byte)MessageClass.StickTable)
        {
            var type = (StickTableMessageType)frame.Type;
            switch (type)
            {
                case StickTableMessageType.Define:
                    var def = DefineMessage.Parse(frame.Payload);
                    _tables[def.TableId] = def;
                    _current = def;
                    line.Append(def).Append(' ').Append(def.Schema);
                    break;
                case StickTableMessageType.Switch:
                    var sw = SwitchMessage.Parse(frame.Payload);
                    _current = _tables.GetValueOrDefault(sw.TableId);
                    line.Append("switch ").Append(sw.TableId);
                    break;
                case StickTableMessageType.Ack:
                    var ack = AckMessage.Parse(frame.Payload);
                    line.Append(ack);
                    break;
                default:
                    if (UpdateMessageReader.IsUpdate(type) && _current?.Schema is { } schema)
                    {
                        var u = new DecodedUpdate(schema);
                        UpdateMessageReader.Read(frame.Payload, type, _lastId, _rx, u);
                        _lastId = u.UpdateId;
                        line.Append(Render(u));
                    }
                    else
                    {
                        line.Append(Hex.Format(frame.Payload));
                    }

                    break;
            }
        }
        else
        {
            line.Append(Hex.Format(frame.Payload));
        }

        Lines.Add(line.ToString());
    }

    public static string Render(DecodedUpdate u)
    {
        var sb = new StringBuilder();
        sb.Append("id=").Append(u.UpdateId).Append(" exp=").Append(u.HasExpire ? u.ExpireMs.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-")
            .Append(" key=").Append(Hex.Format(u.Key));
        var s = 0;
        var slots = u.Values.Slots;
        foreach (var spec in u.Values.Schema.DataTypes)
        {
            for (var i = 0; i < spec.ArrayLength; i++)
            {
                var v = slots[s++];
                sb.Append(' ').Append(spec.Info.Name).Append('=');
                _ = spec.Info.Encoding switch
                {
                    DataEncoding.FrequencyCounter => sb.Append(v.AgeMs).Append('/').Append(v.Current).Append('/').Append(v.Previous),
                    DataEncoding.Dictionary => sb.Append(v.Text ?? "<null>"),
                    _ => sb.Append(v.Number),
                };
            }
        }

        return sb.ToString();
    }
}
