// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Node.Tests.Replication;

/// <summary>A hand-driven remote peer talking raw bytes to one connection of a <see cref="PeerNode"/>.</summary>
internal sealed class RawPeer
{
    private readonly PeerNode _node;
    private readonly List<byte> _inbox = [];
    private readonly ServerKeyDecoderCache _dictionary = new();
    private readonly Dictionary<int, TableSchema> _defined = [];
    private TableSchema? _current;
    private uint _lastId;

    private RawPeer(PeerNode node, ConnectionId id)
    {
        _node = node;
        Id = id;
    }

    public ConnectionId Id { get; }

    /// <summary>Messages received, decoded to a readable form ("define 1 stkt", "update 0x85 3 k1 gpc0=7", "ack 1 5", "control ResyncFinished", "error 0").</summary>
    public List<string> Received { get; } = [];

    /// <summary>Connects to <paramref name="node"/> as peer <paramref name="name"/> and reads the status line.</summary>
    public static (RawPeer Peer, string Status) ConnectInbound(PeerNode node, string name, string? target = null, string version = "2.1")
    {
        var peer = new RawPeer(node, node.Accept());
        peer.Send(Encoding.ASCII.GetBytes($"HAProxyS {version}\n{target ?? node.Options.LocalPeerName}\n{name} 99 1\n"));
        var status = peer.ReadStatusLine();
        return (peer, status);
    }

    /// <summary>A raw peer on a connection the node already accepted (e.g. through <see cref="PeerNode.TryAccept"/>).</summary>
    public static RawPeer On(PeerNode node, ConnectionId id) => new(node, id);

    /// <summary>Sends a complete hello as peer <paramref name="name"/> and reads the status line.</summary>
    public string SendHello(string name)
    {
        Send(Encoding.ASCII.GetBytes($"HAProxyS 2.1\n{_node.Options.LocalPeerName}\n{name} 99 1\n"));
        return ReadStatusLine();
    }

    /// <summary>Completes an outbound connection the node asked for, answering <paramref name="status"/>.</summary>
    public static (RawPeer Peer, string Hello) AnswerOutbound(PeerNode node, ConnectionId id, int status)
    {
        var peer = new RawPeer(node, id);
        node.Connected(id);
        var hello = Encoding.ASCII.GetString(peer.TakeOutput());
        peer.Send(Encoding.ASCII.GetBytes(status + "\n"));
        return (peer, hello);
    }

    public void Send(byte[] bytes)
    {
        _node.Receive(Id, new ReadOnlySequence<byte>(bytes), out var consumed, out _);
        Assert.Equal(bytes.Length, new ReadOnlySequence<byte>(bytes).Slice(0, consumed).Length);
    }

    public void Send(Action<IBufferWriter<byte>> write)
    {
        var w = new ArrayBufferWriter<byte>();
        write(w);
        Send(w.WrittenSpan.ToArray());
    }

    public void SendControl(ControlMessageType type) => Send(w => PeerMessageWriter.WriteControl(w, type));

    public byte[] TakeOutput()
    {
        if (!_node.TryGetOutput(Id, out var pending))
        {
            return [];
        }

        var bytes = pending.ToArray();
        _node.AdvanceOutput(Id, bytes.Length);
        return bytes;
    }

    /// <summary>Reads and decodes every complete message the node sent; returns the new ones.</summary>
    public List<string> Read()
    {
        _inbox.AddRange(TakeOutput());
        var fresh = new List<string>();
        while (true)
        {
            var seq = new ReadOnlySequence<byte>(_inbox.ToArray());
            if (PeerFrameScanner.TryRead(seq, 1 << 20, out var frame, out var consumed, out _) != OperationStatus.Done)
            {
                break;
            }

            fresh.Add(Describe(frame));
            _inbox.RemoveRange(0, (int)seq.Slice(0, consumed).Length);
        }

        Received.AddRange(fresh);
        return fresh;
    }

    private string ReadStatusLine()
    {
        var bytes = TakeOutput();
        var nl = Array.IndexOf(bytes, (byte)'\n');
        if (nl < 0)
        {
            return Encoding.ASCII.GetString(bytes);
        }

        _inbox.AddRange(bytes[(nl + 1)..]);
        return Encoding.ASCII.GetString(bytes, 0, nl);
    }

    private string Describe(in PeerFrame f)
    {
        switch ((MessageClass)f.Class)
        {
            case MessageClass.Control:
                return "control " + (ControlMessageType)f.Type;
            case MessageClass.Error:
                return "error " + f.Type;
            case MessageClass.StickTable:
                var type = (StickTableMessageType)f.Type;
                if (type == StickTableMessageType.Define)
                {
                    var def = DefineMessage.Parse(f.Payload);
                    _defined[def.TableId] = def.Schema!;
                    _current = def.Schema;
                    _lastId = 0;
                    return $"define {def.TableId} {def.Name}";
                }

                if (type == StickTableMessageType.Ack)
                {
                    var ack = AckMessage.Parse(f.Payload);
                    return $"ack {ack.TableId} {ack.UpdateId}";
                }

                if (UpdateMessageReader.IsUpdate(type) && _current is not null)
                {
                    var u = new DecodedUpdate(_current);
                    UpdateMessageReader.Read(f.Payload, type, _lastId, _dictionary, u);
                    _lastId = u.UpdateId;
                    var gpc0 = u.Values.Of(StickDataType.Gpc0);
                    return $"update 0x{f.Type:X2} {u.UpdateId} {Encoding.ASCII.GetString(u.Key)} gpc0={(gpc0.IsEmpty ? 0 : gpc0[0].Number)}";
                }

                return $"table 0x{f.Type:X2}";
            default:
                return "class " + f.Class;
        }
    }
}
