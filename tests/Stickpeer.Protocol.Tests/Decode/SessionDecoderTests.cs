// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Decode;

namespace Stickpeer.Protocol.Tests.Decode;

public sealed class SessionDecoderTests
{
    // Vectors V1, V4, V5, V5c, V7, V6 of the shared protocol reference.
    private const string Hello = "48 41 50 72 6F 78 79 53 20 32 2E 31 0A 68 61 70 42 0A 68 61 70 41 20 34 32 34 32 20 31 0A";
    private const string DefineStkt = "0A 82 12 01 04 73 74 6B 74 06 21 F5 31 F0 ED A3 01 0A F0 E2 03";
    private const string UpdateAbc = "0A 80 0E 00 00 00 01 03 61 62 63 00 01 FC 4E 01 00";
    private const string IncUpdateAbd = "0A 81 09 03 61 62 64 00 02 14 02 00";

    [Fact]
    public void Decode_ConnectorDirection_PrintsHelloDefineAndUpdatesWithImplicitIds()
    {
        var result = SessionDecoder.DecodeHex($"{Hello}\n# comment\n{DefineStkt}\n{UpdateAbc} {IncUpdateAbd}\n00 04\n0A 84 05 01 00 00 00 02");

        Assert.Null(result.Failure);
        Assert.Equal(
            [
                "@0 HELLO version=2.1 to=\"hapB\" from=\"hapA\" pid=4242 relpid=1",
                "@30 DEFINE id=1 table=stkt keytype=string keysize=33 mask=0x405 expire=600000 data=[server_id,gpc0,http_req_rate(10000)]",
                "@51 UPDATE table=stkt id=1 key=\"abc\" server_id=0 gpc0=1 http_req_rate(10000)=[age=1500,curr=1,prev=0]",
                "@68 INCUPDATE table=stkt id=2(implicit) key=\"abd\" server_id=0 gpc0=2 http_req_rate(10000)=[age=20,curr=2,prev=0]",
                "@80 HEARTBEAT",
                "@82 ACK table-id=1 update-id=2",
            ],
            result.Lines);
    }

    [Fact]
    public void Decode_TableDefinedAgain_ImplicitIdsRestartAsInASession()
    {
        // A re-DEFINE of a sender id starts a new table for the receiver (PeerSession forgets the old
        // mapping), so an implicit id counts from 0 again, not from the previous table's last update.
        var result = SessionDecoder.DecodeHex($"{Hello}\n{DefineStkt}\n{UpdateAbc}\n{DefineStkt}\n{IncUpdateAbd}");

        Assert.Null(result.Failure);
        Assert.Equal("@89 INCUPDATE table=stkt id=1(implicit) key=\"abd\" server_id=0 gpc0=2 http_req_rate(10000)=[age=20,curr=2,prev=0]", result.Lines.Last());
    }

    [Fact]
    public void Decode_AcceptorDirection_StartsWithStatusLine()
    {
        var result = SessionDecoder.DecodeHex("32 30 30 0A 00 00 00 02 00 03");

        Assert.Null(result.Failure);
        Assert.Equal(["@0 STATUS 200 (Success)", "@4 RESYNCREQ", "@6 RESYNCPARTIAL", "@8 RESYNCCONFIRM"], result.Lines);
    }

    [Fact]
    public void Decode_ServerKey_TracksDictionaryCacheAcrossMessages()
    {
        // V9: first use carries "srv1" in slot 1, the next update only the slot id, the third has no value.
        var result = SessionDecoder.DecodeHex("""
            32 30 30 0A
            0A 82 0F 02 03 77 65 62 04 04 F1 F1 FE 00 F0 E5 ED 05
            0A 80 10 00 00 00 07 0A 00 00 01 03 06 01 04 73 72 76 31
            0A 81 07 0A 00 00 02 03 01 01
            0A 80 0A 00 00 00 09 0A 00 00 03 00 00
            """);

        Assert.Null(result.Failure);
        var updates = result.Lines.Skip(2).ToArray();
        Assert.Equal("@22 UPDATE table=web id=7 key=10.0.0.1 server_id=3 server_key=\"srv1\"", updates[0]);
        Assert.Equal("@41 INCUPDATE table=web id=8(implicit) key=10.0.0.2 server_id=3 server_key=\"srv1\"", updates[1]);
        Assert.Equal("@51 UPDATE table=web id=9 key=10.0.0.3 server_id=0 server_key=-", updates[2]);
    }

    [Fact]
    public void Decode_ArraysAndTimedUpdate_PrintsEveryElementByName()
    {
        var result = SessionDecoder.DecodeHex("""
            32 30 30 0A
            0A 82 15 04 03 61 72 72 04 04 F0 F1 FE 5E F0 97 1C 17 03 18 02 F0 E2 03
            0A 85 18 00 00 00 2A 00 00 AF C8 C0 00 02 01 05 00 FA 00 64 03 07 F0 DF 04 00 09
            """);

        Assert.Null(result.Failure);
        Assert.Equal(
            "@28 UPDATE_TIMED table=arr id=42 expire=45000 key=192.0.2.1 gpc[0]=5 gpc[1]=0 gpc[2]=250 "
            + "gpc_rate(10000)[0]=[age=100,curr=3,prev=7] gpc_rate(10000)[1]=[age=12000,curr=0,prev=9]",
            result.Lines.Last());
    }

    [Fact]
    public void Decode_UpdateWithoutTable_IsSkippedAndUnknownClassIgnored()
    {
        var result = SessionDecoder.DecodeHex("32 30 30 0A 0A 80 02 00 00 07 85 01 AA 0A 83 01 09 0A 81 01 00");

        Assert.Null(result.Failure);
        Assert.Equal(
            [
                "@0 STATUS 200 (Success)",
                "@4 UPDATE len=2 (skipped: no current table)",
                "@9 UNKNOWN class=7 type=0x85 len=1 (ignored)",
                "@13 SWITCH id=9 (unknown table id, following updates are skipped)",
                "@17 INCUPDATE len=1 (skipped: no current table)",
            ],
            result.Lines);
    }

    [Fact]
    public void Decode_MalformedMessage_ReportsOffsetAndKeepsEarlierLines()
    {
        // The update's key length (5) runs past its 3-byte payload.
        var result = SessionDecoder.DecodeHex($"{Hello} {DefineStkt} 00 04 0A 81 03 05 61 62");

        Assert.NotNull(result.Failure);
        Assert.False(result.Failure.Incomplete);
        Assert.Equal(53, result.Failure.Offset);
        Assert.Equal("TruncatedMessage", result.Failure.Reason);
        Assert.Equal(3, result.Lines.Count());
        Assert.Equal("@51 HEARTBEAT", result.Lines.Last());
    }

    [Fact]
    public void Decode_InputEndsInsideMessage_ReportsIncomplete()
    {
        var result = SessionDecoder.DecodeHex($"{Hello} {UpdateAbc[..20]}");

        Assert.NotNull(result.Failure);
        Assert.True(result.Failure.Incomplete);
        Assert.Equal(30, result.Failure.Offset);
        Assert.Single(result.Lines);
    }

    [Fact]
    public void Decode_ReservedClass_IsMalformed()
    {
        var result = SessionDecoder.DecodeHex("32 30 30 0A 00 04 FF 00");

        Assert.Equal(6, result.Failure!.Offset);
        Assert.Equal("ReservedClass", result.Failure.Reason);
    }

    [Fact]
    public void Decode_NeitherHelloNorStatus_IsBadHandshake()
    {
        var result = SessionDecoder.DecodeHex("0A 84 05 01 00 00 00 02");

        Assert.Equal("BadHandshake", result.Failure!.Reason);
        Assert.Empty(result.Lines);
    }

    [Fact]
    public void Decode_TsharkPayloadLines_AreAccepted()
    {
        var result = SessionDecoder.DecodeHex("3230300a0004\n0a840501000000020004\n");

        Assert.Null(result.Failure);
        Assert.Equal(["@0 STATUS 200 (Success)", "@4 HEARTBEAT", "@6 ACK table-id=1 update-id=2", "@14 HEARTBEAT"], result.Lines);
    }
}
