// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;

namespace Stickpeer.Protocol.Tests.Wire;

internal static class CodecAssert
{
    public static void SameSchema(TableSchema expected, TableSchema? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.KeyType, actual.KeyType);
        Assert.Equal(expected.KeySize, actual.KeySize);
        Assert.Equal(expected.ExpireMs, actual.ExpireMs);
        Assert.Equal(expected.DataTypeMask, actual.DataTypeMask);
        Assert.Equal(expected.DataTypes.ToArray(), actual.DataTypes.ToArray());
    }

    /// <summary>Scans exactly one frame covering all of <paramref name="message"/>.</summary>
    public static PeerFrame SingleFrame(byte[] message)
    {
        var seq = new ReadOnlySequence<byte>(message);
        Assert.Equal(System.Buffers.OperationStatus.Done, PeerFrameScanner.TryRead(seq, PeerProtocolLimits.DefaultMaxPayload, out var frame, out var consumed, out var examined));
        Assert.Equal(seq.End, consumed);
        Assert.Equal(seq.End, examined);
        return frame;
    }

    public static void Bytes(byte[] expected, ArrayBufferWriter<byte> actual) =>
        Assert.Equal(Hex.Format(expected), Hex.Format(actual.WrittenSpan));

    public static DecodedUpdate DecodeUpdate(byte[] message, TableSchema schema, uint previousId, ServerKeyDecoderCache cache)
    {
        var frame = SingleFrame(message);
        Assert.Equal((byte)MessageClass.StickTable, frame.Class);
        var into = new DecodedUpdate(schema);
        UpdateMessageReader.Read(frame.Payload, (StickTableMessageType)frame.Type, previousId, cache, into);
        return into;
    }
}
