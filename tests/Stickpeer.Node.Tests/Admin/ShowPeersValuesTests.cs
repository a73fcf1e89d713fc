// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Admin;
using Stickpeer.Node.Replication;
using Stickpeer.Node.Tests.Replication;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit.Replication;

namespace Stickpeer.Node.Tests.Admin;

/// <summary><c>show peers</c> prints real values where HAProxy 2.6 does: handshake age, heartbeat, remote id, last update received.</summary>
public sealed class ShowPeersValuesTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(0.9, "0s")]
    [InlineData(5, "5s")]
    [InlineData(60, "1m")]
    [InlineData(65, "1m5s")]
    [InlineData(3600, "1h")]
    [InlineData(3661, "1h1m")]
    [InlineData(86400, "1d")]
    [InlineData(90061, "1d1h")]
    public void HumanTime_IsHaproxysTwoUnitFormat(double seconds, string expected)
    {
        Assert.Equal(expected, PeersCommand.HumanTime(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Snapshot_EstablishedSession_HasHandshakeAgeHeartbeatRemoteIdAndLastGet()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var table = InMemoryReplicatedTable.CreateStringGpc0();
        var node = new PeerNode(new PeerNodeOptions { LocalPeerName = "a", RemotePeers = ["x"], LearnOnStartup = false, ProcessId = 7 }, [table], time, NullLoggerFactory.Instance, new Random(3));
        var (x, status) = RawPeer.ConnectInbound(node, "x");
        Assert.Equal("200", status);

        // The peer defines the table under its own id 5 and sends update 42.
        x.Send(w => PeerMessageWriter.WriteDefine(w, 5, table.Schema));
        x.Send(w => PeerMessageWriter.WriteUpdate(w, false, 42, 0, "k\0"u8, Values(table, 7), new ServerKeyEncoderCache()));
        time.Advance(TimeSpan.FromSeconds(65));
        x.SendControl(ControlMessageType.Heartbeat);

        var peer = node.GetSnapshot().Peers.Single();

        Assert.Equal(TimeSpan.FromSeconds(65), peer.SinceHandshake);
        Assert.NotNull(peer.HeartbeatIn);
        Assert.Equal(5u, peer.Tables[0].RemoteId);
        Assert.Equal(42u, peer.Tables[0].LastGet);
        Assert.Equal("1m5s", PeersCommand.HumanTime(peer.SinceHandshake!.Value));
    }

    private static Protocol.Model.EntryValues Values(InMemoryReplicatedTable table, ulong gpc0)
    {
        var values = new Protocol.Model.EntryValues(table.Schema);
        values.Of(Protocol.Model.StickDataType.Gpc0)[0].Number = gpc0;
        return values;
    }
}
