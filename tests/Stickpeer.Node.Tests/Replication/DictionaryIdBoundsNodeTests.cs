// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Node.Tests.Replication;

/// <summary>
/// A peer sends <c>server_key</c> dictionary ids past 128 (HAProxy's out-of-bounds write fixed
/// in 06673291d) to a node on the real table engine: the session ends as a protocol error, the
/// entry is not written, and what was learned before stays.
/// </summary>
public sealed class DictionaryIdBoundsNodeTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(129UL, false)]
    [InlineData(129UL, true)]
    [InlineData(200UL, false)]
    [InlineData(200UL, true)]
    [InlineData(4294967295UL, false)]
    [InlineData(4294967295UL, true)]
    public void Update_DictionaryIdAbove128_ClosesAsProtocolErrorAndWritesNothing(ulong id, bool withValue)
    {
        var schema = new TableSchema("stkt", StickKeyType.String, 32, 60_000, [new DataTypeSpec(StickDataType.Gpc0, 1, 0), new DataTypeSpec(StickDataType.ServerKey, 1, 0)]);
        var table = new StickTable("stkt", schema, 100, options: new StickTableOptions { TimeProvider = _time, ShardCount = 2 });
        var node = new PeerNode(
            new PeerNodeOptions { LocalPeerName = "a", RemotePeers = ["x"], LearnOnStartup = false, ProcessId = 7 },
            [new StickTableReplica(table)],
            _time,
            NullLoggerFactory.Instance,
            new Random(3));
        var (x, status) = RawPeer.ConnectInbound(node, "x");
        Assert.Equal("200", status);
        x.Read();

        x.Send(w => PeerMessageWriter.WriteDefine(w, 1, schema));
        x.Send(Update(1, "good", 5, id: 128, value: "srv1"));
        Assert.True(table.TryGetSnapshot("good"u8, out _));

        x.Send(Update(2, "evil", 6, id, withValue ? "srv2" : null));

        Assert.False(table.TryGetSnapshot("evil"u8, out _));
        Assert.True(table.TryGetSnapshot("good"u8, out var good));
        Assert.Equal("srv1", good.Values.Of(StickDataType.ServerKey)[0].Text);
        Assert.Equal(1, node.GetSnapshot().Peers.Single(p => p.Name == "x").ProtocolErrors);
        var close = Actions(node).Single(a => a.Kind == NodeActionKind.Close);
        Assert.Equal(x.Id, close.Connection);
    }

    private static List<NodeAction> Actions(PeerNode node)
    {
        var list = new List<NodeAction>();
        while (node.TryDequeueAction(out var a))
        {
            list.Add(a);
        }

        return list;
    }

    /// <summary>A stick-table update message (0x80): id, key, gpc0, then server_key as dictionary <paramref name="id"/>.</summary>
    private static byte[] Update(uint updateId, string key, byte gpc0, ulong id, string? value)
    {
        var inner = new List<byte>();
        WireBytes.AppendVarint(inner, id);
        if (value is not null)
        {
            WireBytes.AppendVarint(inner, (ulong)value.Length);
            inner.AddRange(Encoding.ASCII.GetBytes(value));
        }

        var payload = new List<byte> { (byte)(updateId >> 24), (byte)(updateId >> 16), (byte)(updateId >> 8), (byte)updateId, (byte)key.Length };
        payload.AddRange(Encoding.ASCII.GetBytes(key));
        payload.Add(gpc0);
        WireBytes.AppendVarint(payload, (ulong)inner.Count);
        payload.AddRange(inner);

        var message = new List<byte> { 10, 0x80 };
        WireBytes.AppendVarint(message, (ulong)payload.Count);
        message.AddRange(payload);
        return [.. message];
    }
}
