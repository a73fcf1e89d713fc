// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Handshake;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;

namespace Stickpeer.Protocol.Tests.Wire;

/// <summary>
/// Both directions of a real HAProxy 2.6.12 peers session (Captures/, recorded by the interop
/// suite with node-a.cfg): every message decodes, and re-encoding the decoded content gives
/// the captured bytes back exactly.
/// </summary>
public sealed class RealCaptureTests
{
    public static TheoryData<string> Files => new() { "to-a-c1-a-to-b.hex", "to-a-c1-b-to-a.hex" };

    [Theory]
    [MemberData(nameof(Files))]
    public void Capture_EveryMessage_DecodesAndReencodesExactly(string file)
    {
        var bytes = Load(file);
        var seq = new ReadOnlySequence<byte>(bytes);
        seq = seq.Slice(SkipHandshake(seq));

        var tables = new Dictionary<int, TableSchema>();
        var lastIds = new Dictionary<int, uint>();
        var rx = new ServerKeyDecoderCache();
        var tx = new ServerKeyEncoderCache();
        var w = new ArrayBufferWriter<byte>();
        var current = 0;
        var counts = new Dictionary<byte, int>();
        while (PeerFrameScanner.TryRead(seq, out var frame, out var consumed, out _) == OperationStatus.Done)
        {
            var original = seq.Slice(0, consumed).ToArray();
            seq = seq.Slice(consumed);
            counts[frame.Type] = counts.GetValueOrDefault(frame.Type) + 1;
            w.ResetWrittenCount();
            if (frame.Class != (byte)MessageClass.StickTable)
            {
                Assert.Contains(frame.Class, (byte[])[0, 1]);
                w.Write(new[] { frame.Class, frame.Type });
            }
            else
            {
                var type = (StickTableMessageType)frame.Type;
                switch (type)
                {
                    case StickTableMessageType.Define:
                        var def = DefineMessage.Parse(frame.Payload);
                        Assert.NotNull(def.Schema);
                        tables[def.TableId] = def.Schema;
                        current = def.TableId;
                        PeerMessageWriter.WriteDefine(w, def.TableId, def.Schema);
                        break;
                    case StickTableMessageType.Ack:
                        var ack = AckMessage.Parse(frame.Payload);
                        PeerMessageWriter.WriteAck(w, ack.TableId, ack.UpdateId);
                        break;
                    default:
                        Assert.True(UpdateMessageReader.IsUpdate(type), type.ToString());
                        var u = new DecodedUpdate(tables[current]);
                        UpdateMessageReader.Read(frame.Payload, type, lastIds.GetValueOrDefault(current), rx, u);
                        lastIds[current] = u.UpdateId;
                        var explicitId = type is StickTableMessageType.Update or StickTableMessageType.UpdateTimed;
                        PeerMessageWriter.WriteUpdate(w, u.HasExpire, explicitId ? u.UpdateId : null, u.ExpireMs, u.Key, u.Values, tx);
                        break;
                }
            }

            Assert.Equal(Hex.Format(original), Hex.Format(w.WrittenSpan));
        }

        Assert.True(seq.IsEmpty, $"{seq.Length} bytes left undecoded");
        Assert.True(counts.Count > 1);
    }

    [Fact]
    public void Capture_ServerKeyAndStringKeys_DecodeToConfiguredValues()
    {
        var seq = new ReadOnlySequence<byte>(Load("to-a-c1-a-to-b.hex"));
        seq = seq.Slice(SkipHandshake(seq));
        var t = new Transcript();
        t.Feed(seq);
        var text = string.Join('\n', t.Lines);
        Assert.Contains("name=/str keytype=6 keysize=33", text, StringComparison.Ordinal);
        Assert.Contains("server_key=s1", text, StringComparison.Ordinal);
        Assert.Contains("key=" + Hex.Format("alpha"u8), text, StringComparison.Ordinal);
    }

    private static long SkipHandshake(ReadOnlySequence<byte> seq)
    {
        if (HandshakeReader.TryReadHello(seq, PeerProtocolLimits.DefaultMaxHandshakeLine, out var hello, out var consumed, out _) == OperationStatus.Done
            && hello!.HasIdentifier)
        {
            return seq.Slice(0, consumed).Length;
        }

        Assert.Equal(OperationStatus.Done, HandshakeReader.TryReadStatus(seq, PeerProtocolLimits.DefaultMaxHandshakeLine, out var status, out consumed, out _));
        Assert.Equal(HandshakeStatus.Success, status);
        return seq.Slice(0, consumed).Length;
    }

    private static byte[] Load(string file)
    {
        var path = Path.Combine(TestPaths.RepoRoot, "tests", "Stickpeer.Protocol.Tests", "Captures", file);
        var hex = string.Concat(File.ReadLines(path).Where(l => !l.StartsWith('#')));
        return Hex.Parse(hex);
    }
}
