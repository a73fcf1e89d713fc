// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Replication;

namespace Stickpeer.Tables.Tests;

/// <summary>
/// A string key with a NUL and bytes after it, as a peer may send (the wire carries a length,
/// and HAProxy before 1824079fc/1014a43e0 could index such keys by all their bytes).
/// </summary>
/// <remarks>
/// What HAProxy does with it: the learner copies the bytes and a NUL terminator, and since
/// those fixes both the index (ebst, a C-string tree) and the shard bucket (strnlen) stop at
/// the first NUL; the teacher sends <c>strlen(key)</c> bytes. So the entry's name is the bytes
/// before the first NUL, whatever follows, on the learner and on every peer it teaches. A
/// learner that kept the tail would hold two entries where HAProxy holds one, and would teach
/// a key no 3.x peer can tell from the short one. Stickpeer therefore cuts at the first NUL
/// (after the key-size truncation, which gives the same result in either order).
/// </remarks>
public sealed class StringKeyNulTests
{
    [Fact]
    public void ApplyRemote_KeyWithNulAndTail_NamesTheEntryByTheBytesBeforeNul()
    {
        var t = TestTables.Create("type string len 32 size 10 store gpc0");

        Assert.Equal(ApplyResult.Created, Learn(t, "AB\0CD", 7));

        Assert.Equal(1, t.Count);
        Assert.Equal(7, t.Get("AB", StickDataType.Gpc0));
        Assert.Equal(["AB"], t.Enumerate().Select(e => Encoding.ASCII.GetString(e.Key)).ToArray());
    }

    [Fact]
    public void ApplyRemote_DifferentTailsAndTheShortKey_AreOneEntry_LastWriterWins()
    {
        var t = TestTables.Create("type string len 32 size 10 store gpc0");

        Learn(t, "AB\0CD", 7);
        Assert.Equal(ApplyResult.Applied, Learn(t, "AB\0XY\0Z", 8));
        Assert.Equal(8, t.Get("AB", StickDataType.Gpc0));
        Assert.Equal(ApplyResult.Applied, Learn(t, "AB", 9));

        Assert.Equal(1, t.Count);
        Assert.Equal(9, t.Get("AB", StickDataType.Gpc0));
    }

    [Fact]
    public void ApplyRemote_LeadingNul_IsTheEmptyKey_DistinctFromTheTail()
    {
        var t = TestTables.Create("type string len 32 size 10 store gpc0");

        Learn(t, "\0abc", 1);
        Learn(t, "abc", 2);

        Assert.Equal(2, t.Count);
        Assert.Equal(1, t.Get(string.Empty, StickDataType.Gpc0));
        Assert.Equal(2, t.Get("abc", StickDataType.Gpc0));
    }

    [Fact]
    public void ApplyRemote_NulPastTheKeySize_TruncatesFirst()
    {
        // len 4 keeps 4 bytes; the NUL at index 5 is beyond them and changes nothing.
        var t = TestTables.Create("type string len 4 size 10 store gpc0");

        Learn(t, "abcde\0f", 3);

        Assert.Equal(3, t.Get("abcd", StickDataType.Gpc0));
        Assert.Equal(1, t.Count);
    }

    [Fact]
    public void Teach_EntryLearnedWithNulTail_SendsOnlyTheBytesBeforeNul()
    {
        var t = TestTables.Create("type string len 32 size 10 store gpc0");
        Learn(t, "AB\0CD", 7);

        var batch = new UpdateBatch(t.Schema, 10);
        var cursor = default(TeachCursor);
        t.CollectAll(ref cursor, batch);
        Assert.Equal(1, batch.Count);
        var wire = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteUpdate(wire, false, 1, 0, batch.GetKey(0), batch.GetValues(0), new ServerKeyEncoderCache());

        // class 10 (stick table), type 0x80 (update), length 8: id 00000001, key length 2, "AB", gpc0 7.
        Assert.Equal("0A800800000001024142" + "07", Convert.ToHexString(wire.WrittenSpan));
    }

    /// <summary>Decodes an update message (id 1, the given key bytes, gpc0) and applies it.</summary>
    private static ApplyResult Learn(StickTable t, string key, byte gpc0)
    {
        var keyBytes = Encoding.ASCII.GetBytes(key);
        byte[] payload = [0, 0, 0, 1, (byte)keyBytes.Length, .. keyBytes, gpc0];
        var update = new DecodedUpdate(t.Schema);
        UpdateMessageReader.Read(payload, StickTableMessageType.Update, 0, new ServerKeyDecoderCache(), update);
        return t.ApplyRemote(update);
    }
}
