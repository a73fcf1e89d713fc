// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Node.Replication;
using Stickpeer.Node.Tests.Transport;
using Stickpeer.Protocol.Model;
using Stickpeer.TestKit;
using Stickpeer.TestKit.Replication;

namespace Stickpeer.Node.Tests.Replication;

/// <summary>Spec §11 edge cases with a crafted peer: a newer peer's unknown data types, a table whose key differs.</summary>
public sealed class PeerEdgeCaseTests
{
    private const ulong String = (ulong)StickKeyType.String;
    private const ulong Binary = (ulong)StickKeyType.Binary;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ListLoggerProvider _logs = new();

    private (PeerNode Node, InMemoryReplicatedTable Table, RawPeer Peer) Connect()
    {
        var table = InMemoryReplicatedTable.CreateStringGpc0();
        var node = new PeerNode(
            new PeerNodeOptions { LocalPeerName = "a", RemotePeers = ["x"], LearnOnStartup = false, ProcessId = 7 },
            [table],
            _time,
            LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug)),
            new Random(3));
        var (peer, status) = RawPeer.ConnectInbound(node, "x");
        Assert.Equal("200", status);
        return (node, table, peer);
    }

    /// <summary>A stick-table message: class 10, type, varint length, payload.</summary>
    private static byte[] Message(byte type, List<byte> payload)
    {
        var m = new List<byte> { 10, type };
        m.AppendVarint((ulong)payload.Count);
        m.AddRange(payload);
        return [.. m];
    }

    private static byte[] Define(string name, ulong keyType, ulong keySize, ulong mask, byte[] trailing)
    {
        var p = new List<byte>();
        p.AppendVarint(1); // sender table id
        p.AppendVarint((ulong)name.Length);
        p.AddRange(Encoding.ASCII.GetBytes(name));
        p.AppendVarint(keyType);
        p.AppendVarint(keySize);
        p.AppendVarint(mask);
        p.AppendVarint(60_000); // expire
        p.AddRange(trailing);
        return Message(0x82, p);
    }

    /// <summary>An explicit-id update (0x80): id, string key, then the value bytes as given.</summary>
    private static byte[] Update(uint id, string key, byte[] values)
    {
        var p = new List<byte>();
        var idBytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(idBytes, id);
        p.AddRange(idBytes);
        p.AppendVarint((ulong)key.Length);
        p.AddRange(Encoding.ASCII.GetBytes(key));
        p.AddRange(values);
        return Message(0x80, p);
    }

    [Fact]
    public void NewerPeer_UnknownDataTypes_KnownValuesAppliedRestSkipped()
    {
        var (_, table, peer) = Connect();

        // server_id (0) and gpc0 (2), then types 27 and 40 that no HAProxy up to 3.4 has: their
        // parameter blocks in the DEFINE and their values in the update are skipped.
        var mask = 1UL | (1UL << 2) | (1UL << 27) | (1UL << 40);
        peer.Send(Define("stkt", String, 32, mask, [0x1B, 0x05, 0x99]));
        peer.Send(Update(7, "k1", [0x05, 0x2A, 0x99, 0x01, 0xFF, 0x00]));
        peer.Send(Update(8, "k2", [0x06, 0x2B, 0x00]));

        Assert.Equal(42UL, table.GetGpc0("k1"));
        Assert.Equal(43UL, table.GetGpc0("k2"));
        var sent = peer.Read();
        Assert.Contains("ack 1 8", sent);
        Assert.DoesNotContain(sent, m => m.StartsWith("error", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(String, 16UL)] // string len 16 there, len 32 here
    [InlineData(Binary, 32UL)] // binary there
    public void TableWithOtherKey_IgnoredWithWarningNamingPeerAndTable(ulong keyType, ulong keySize)
    {
        var (_, table, peer) = Connect();

        peer.Send(Define("stkt", keyType, keySize, 1UL << 2, []));
        peer.Send(Update(7, "k1", [0x2A]));
        peer.Send(Define("stkt", keyType, keySize, 1UL << 2, [])); // HAProxy re-defines at every table switch: one warning per session

        Assert.Equal(0, table.Count);
        var warning = Assert.Single(_logs.Entries, e => e.Id.Id == 2130);
        Assert.Contains("Peer x: table 'stkt'", warning.Message, StringComparison.Ordinal);
        var sent = peer.Read();
        Assert.DoesNotContain(sent, m => m.StartsWith("ack", StringComparison.Ordinal) || m.StartsWith("error", StringComparison.Ordinal));

        // The session itself goes on: a matching table still replicates.
        peer.Send(Define("stkt", String, 32, 1UL << 2, []));
        peer.Send(Update(8, "k2", [0x2B]));
        Assert.Equal(43UL, table.GetGpc0("k2"));
    }

    [Fact]
    public void UnknownTableName_IsIgnoredWithoutWarning()
    {
        var (_, table, peer) = Connect();

        peer.Send(Define("other", String, 16, 1UL << 2, []));
        peer.Send(Update(7, "k1", [0x2A]));

        Assert.Equal(0, table.Count);
        Assert.DoesNotContain(_logs.Entries, e => e.Id.Id == 2130);
    }
}
