// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using CsCheck;
using Stickpeer.Protocol.Errors;
using Stickpeer.Protocol.Handshake;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;

namespace Stickpeer.Protocol.Tests.Wire;

public sealed class PropertyTests
{
    private static readonly string[] s_pool = Enumerable.Range(0, 300).Select(i => i % 7 == 0 ? $"srv-é{i}" : $"srv{i}").ToArray();

    [Fact]
    public void Define_RandomSchema_RoundTrips()
    {
        Gen.Int.Sample(seed =>
        {
            var rnd = new Random(seed);
            var schema = RandomModel.Schema(rnd);
            var tableId = rnd.Next(3) == 0 ? rnd.Next(1, int.MaxValue) : rnd.Next(1, 300);
            var w = new ArrayBufferWriter<byte>();
            PeerMessageWriter.WriteDefine(w, tableId, schema);
            var frame = CodecAssert.SingleFrame(w.WrittenSpan.ToArray());
            Assert.Equal((byte)StickTableMessageType.Define, frame.Type);
            var def = DefineMessage.Parse(frame.Payload);
            Assert.Equal(tableId, def.TableId);
            Assert.Equal(DefineIgnoreReason.None, def.IgnoreReason);
            CodecAssert.SameSchema(schema, def.Schema);
        }, iter: 2000);
    }

    [Fact]
    public void Update_RandomBatches_RoundTripThroughRandomFragmentation()
    {
        Gen.Int.Sample(seed =>
        {
            var rnd = new Random(seed);
            var schema = RandomModel.Schema(rnd);
            var tx = new ServerKeyEncoderCache();
            var rx = new ServerKeyDecoderCache();
            var w = new ArrayBufferWriter<byte>();
            var expected = new List<string>();
            var types = new List<StickTableMessageType>();
            var sent = new EntryValues(schema);
            var check = new DecodedUpdate(schema);
            uint previous = 0;
            var count = rnd.Next(1, 40);
            for (var i = 0; i < count; i++)
            {
                var key = RandomModel.Key(rnd, schema);
                RandomModel.Fill(rnd, sent, s_pool);
                var timed = rnd.Next(2) == 0;
                uint? id = rnd.Next(3) == 0 ? null : (uint)rnd.NextInt64(0, uint.MaxValue + 1L);
                var expire = timed ? (uint)rnd.NextInt64(0, uint.MaxValue + 1L) : 0;
                PeerMessageWriter.WriteUpdate(w, timed, id, expire, key, sent, tx);
                previous = id ?? unchecked(previous + 1);

                check.UpdateId = previous;
                check.HasExpire = timed;
                check.ExpireMs = expire;
                check.SetKey(key);
                sent.Slots.CopyTo(check.Values.Slots);
                expected.Add(Transcript.Render(check));
                types.Add((StickTableMessageType)(0x80 + (id is null ? 1 : 0) + (timed ? 5 : 0)));
            }

            var bytes = w.WrittenSpan.ToArray();
            var seq = rnd.Next(3) switch
            {
                0 => new ReadOnlySequence<byte>(bytes),
                1 => FragmentedSequence.SplitAt(bytes, rnd.Next(bytes.Length + 1)),
                _ => FragmentedSequence.OneBytePerSegment(bytes),
            };

            var into = new DecodedUpdate(schema);
            uint last = 0;
            var n = 0;
            while (PeerFrameScanner.TryRead(seq, out var frame, out var consumed, out _) == OperationStatus.Done)
            {
                Assert.Equal(types[n], (StickTableMessageType)frame.Type);
                UpdateMessageReader.Read(frame.Payload, (StickTableMessageType)frame.Type, last, rx, into);
                last = into.UpdateId;
                Assert.Equal(expected[n], Transcript.Render(into));
                n++;
                seq = seq.Slice(consumed);
            }

            Assert.Equal(count, n);
            Assert.True(seq.IsEmpty);
        }, iter: 600);
    }

    [Fact]
    public void AckSwitchControl_RandomValues_RoundTrip()
    {
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.UInt, Gen.Byte).Sample((tableId, updateId, small) =>
        {
            var w = new ArrayBufferWriter<byte>();
            PeerMessageWriter.WriteAck(w, tableId, updateId);
            PeerMessageWriter.WriteSwitch(w, tableId);
            PeerMessageWriter.WriteControl(w, (ControlMessageType)(small % 5));
            PeerMessageWriter.WriteError(w, (ErrorMessageType)(small % 2));
            var seq = new ReadOnlySequence<byte>(w.WrittenMemory);

            Assert.Equal(OperationStatus.Done, PeerFrameScanner.TryRead(seq, out var f, out var c, out _));
            Assert.Equal(new AckMessage(tableId, updateId), AckMessage.Parse(f.Payload));
            seq = seq.Slice(c);
            Assert.Equal(OperationStatus.Done, PeerFrameScanner.TryRead(seq, out f, out c, out _));
            Assert.Equal(tableId, SwitchMessage.Parse(f.Payload).TableId);
            seq = seq.Slice(c);
            Assert.Equal(OperationStatus.Done, PeerFrameScanner.TryRead(seq, out f, out c, out _));
            Assert.Equal(((byte)MessageClass.Control, (byte)(small % 5)), (f.Class, f.Type));
            seq = seq.Slice(c);
            Assert.Equal(OperationStatus.Done, PeerFrameScanner.TryRead(seq, out f, out c, out _));
            Assert.Equal(((byte)MessageClass.Error, (byte)(small % 2)), (f.Class, f.Type));
            Assert.True(seq.Slice(c).IsEmpty);
        }, iter: 5000);
    }

    [Fact]
    [Trait("Category", "Fuzz")]
    public void RandomBytes_OnlyProtocolExceptionsOrNeedMoreData()
    {
        Gen.Select(Gen.Byte.Array[0, 120], Gen.Int).Sample((bytes, seed) =>
        {
            var rnd = new Random(seed);
            var schema = RandomModel.Schema(rnd);
            OnlyProtocolErrors(() => new Transcript().Feed(new ReadOnlySequence<byte>(bytes)));
            OnlyProtocolErrors(() => new Transcript().Feed(FragmentedSequence.OneBytePerSegment(bytes), 64));
            OnlyProtocolErrors(() => DefineMessage.Parse(bytes));
            OnlyProtocolErrors(() => AckMessage.Parse(bytes));
            OnlyProtocolErrors(() => SwitchMessage.Parse(bytes));
            OnlyProtocolErrors(() => PeerVarint.TryRead(bytes, out _, out _));
            foreach (var type in (StickTableMessageType[])[StickTableMessageType.Update, StickTableMessageType.IncrementalUpdate, StickTableMessageType.UpdateTimed, StickTableMessageType.IncrementalUpdateTimed])
            {
                OnlyProtocolErrors(() => UpdateMessageReader.Read(bytes, type, 0, new ServerKeyDecoderCache(), new DecodedUpdate(schema)));
            }

            var seq = new ReadOnlySequence<byte>(bytes);
            OnlyProtocolErrors(() => HandshakeReader.TryReadHello(seq, 32, out _, out _, out _));
            OnlyProtocolErrors(() => HandshakeReader.TryReadStatus(seq, 32, out _, out _, out _));
        }, iter: 5000);
    }

    [Fact]
    [Trait("Category", "Fuzz")]
    public void MutatedVectorStream_OnlyProtocolExceptions()
    {
        var stream = Vectors.Stream.SelectMany(m => m).ToArray();
        Gen.Int.Sample(seed =>
        {
            var rnd = new Random(seed);
            var bytes = (byte[])stream.Clone();
            for (var i = rnd.Next(1, 6); i > 0; i--)
            {
                bytes[rnd.Next(bytes.Length)] = (byte)rnd.Next(256);
            }

            OnlyProtocolErrors(() => new Transcript().Feed(FragmentedSequence.SplitAt(bytes, rnd.Next(bytes.Length))));
        }, iter: 3000);
    }

    private static void OnlyProtocolErrors(Action action)
    {
        try
        {
            action();
        }
        catch (PeerProtocolException ex)
        {
            Assert.True(Enum.IsDefined(ex.Reason));
        }
    }

    private static void OnlyProtocolErrors<T>(Func<T> action) => OnlyProtocolErrors(() => { _ = action(); });
}
