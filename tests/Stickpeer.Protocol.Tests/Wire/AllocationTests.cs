// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Protocol.Tests.Wire;

/// <summary>Steady-state updates, acks and controls must not allocate (counted, not timed).</summary>
public sealed class AllocationTests
{
    [Fact]
    public void ScanAndDecode_SteadyState_AllocatesNothing()
    {
        var stream = new[] { Vectors.V9First, Vectors.V9Cached, Vectors.V9None, Vectors.V7, [0, 4] }.SelectMany(m => m).ToArray();
        var seq = new ReadOnlySequence<byte>(stream);
        var rx = new ServerKeyDecoderCache();
        var into = new DecodedUpdate(Vectors.Web);
        Run(seq, rx, into);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Run(seq, rx, into);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Encode_SteadyState_AllocatesNothing()
    {
        var w = new ArrayBufferWriter<byte>(4096);
        var tx = new ServerKeyEncoderCache();
        var values = new EntryValues(Vectors.Web);
        values.Of(StickDataType.ServerKey)[0].Text = "srv1";
        Encode(w, tx, values);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Encode(w, tx, values);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Encode(ArrayBufferWriter<byte> w, ServerKeyEncoderCache tx, EntryValues values)
    {
        w.ResetWrittenCount();
        PeerMessageWriter.WriteUpdate(w, false, 7, 0, [10, 0, 0, 1], values, tx);
        PeerMessageWriter.WriteAck(w, 3, 77);
        PeerMessageWriter.WriteControl(w, ControlMessageType.Heartbeat);
    }

    private static void Run(ReadOnlySequence<byte> seq, ServerKeyDecoderCache rx, DecodedUpdate into)
    {
        uint last = 0;
        while (PeerFrameScanner.TryRead(seq, out var frame, out var consumed, out _) == OperationStatus.Done)
        {
            var type = (StickTableMessageType)frame.Type;
            if (frame.Class == (byte)MessageClass.StickTable && UpdateMessageReader.IsUpdate(type))
            {
                UpdateMessageReader.Read(frame.Payload, type, last, rx, into);
                last = into.UpdateId;
            }
            else if (type == StickTableMessageType.Ack)
            {
                last += (uint)AckMessage.Parse(frame.Payload).TableId;
            }

            seq = seq.Slice(consumed);
        }
    }
}
