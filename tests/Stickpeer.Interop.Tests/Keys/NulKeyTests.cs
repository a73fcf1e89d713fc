// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Net.Sockets;
using System.Text;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit.Haproxy;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Interop.Tests.Keys;

/// <summary>
/// A raw peer teaches the HAProxy under test string keys that hold a NUL and different
/// tails. HAProxy must name them all by the bytes before the NUL (one entry, last writer
/// wins), which is what Stickpeer's learner does (<c>StringKeyNulTests</c>).
/// </summary>
[Trait("Category", "Interop")]
public sealed class NulKeyTests
{
    [Fact]
    public async Task KeysWithNulAndTails_HaproxyLearner_HoldsOneEntryNamedByTheBytesBeforeNul()
    {
        HaproxyUnderTest.RequireOrSkip();
        var ct = TestContext.Current.CancellationToken;
        var hapPort = FreePort.Get();
        var peers = HaproxyConfig.PeersSection("mesh", [("hap", hapPort), ("raw", FreePort.Get())], ["table s type string len 32 size 100 store gpc0"]);
        await using var hap = await HaproxyProcess.StartAsync(
            new HaproxyOptions { LocalPeerName = "hap", Config = _ => HaproxyConfig.TcpDefaults + "\n" + peers }, ct);

        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", hapPort, ct);
        var stream = client.GetStream();
        await stream.WriteAsync("HAProxyS 2.1\nhap\nraw 1 1\n"u8.ToArray(), ct);
        var status = new byte[4];
        await stream.ReadExactlyAsync(status, ct);
        Assert.Equal("200\n", Encoding.ASCII.GetString(status));

        var wire = new ArrayBufferWriter<byte>();
        var schema = new TableSchema("/s", StickKeyType.String, 33, 0, [new DataTypeSpec(StickDataType.Gpc0, 1, 0)]);
        PeerMessageWriter.WriteDefine(wire, 1, schema);
        WriteUpdate(wire, 1, "AB\0CD", 7);
        WriteUpdate(wire, 2, "AB", 9);
        WriteUpdate(wire, 3, "AB\0XY", 8);
        await stream.WriteAsync(wire.WrittenMemory, ct);

        // Bounded wait for the last update to be applied (it carries gpc0=8).
        TableDump? table = null;
        for (var i = 0; i < 100 && table?.Entries.Any(e => e["gpc0"] == "8") != true; i++)
        {
            await Task.Delay(50, ct);
            table = TableDump.Parse(await hap.Stats.SendAsync("show table mesh/s", ct)).Single();
        }

        Assert.NotNull(table);
        var entry = Assert.Single(table.Entries);
        Assert.Equal("AB", entry.Key);
        Assert.Equal("8", entry["gpc0"]);
    }

    /// <summary>A stick-table update (0x80) with explicit id whose key bytes are written as given, NUL included.</summary>
    private static void WriteUpdate(ArrayBufferWriter<byte> wire, uint id, string key, byte gpc0)
    {
        var keyBytes = Encoding.ASCII.GetBytes(key);
        byte[] payload = [(byte)(id >> 24), (byte)(id >> 16), (byte)(id >> 8), (byte)id, (byte)keyBytes.Length, .. keyBytes, gpc0];
        wire.Write<byte>([10, 0x80, (byte)payload.Length]);
        wire.Write(payload);
    }
}
