// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Node.Replication;
using Stickpeer.Node.Tests.Transport;
using Stickpeer.TestKit.Replication;

namespace Stickpeer.Node.Tests.Replication;

/// <summary>
/// What an unauthenticated client can hold before its handshake: a bounded number of slots
/// (overall and per source address) for a bounded time.
/// </summary>
public sealed class InboundAdmissionTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ListLoggerProvider _logs = new();

    private PeerNode NewNode(int pending = 4, int perAddress = 2) =>
        new(
            new PeerNodeOptions { LocalPeerName = "a", RemotePeers = ["x", "y"], LearnOnStartup = false, ProcessId = 7, MaxPendingInbound = pending, MaxPendingInboundPerAddress = perAddress },
            [InMemoryReplicatedTable.CreateStringGpc0()],
            _time,
            LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug)),
            new Random(3));

    [Fact]
    public void TryAccept_PerAddressThenOverallLimit_RefusesWithTheLimitReached()
    {
        var node = NewNode();

        Assert.Null(node.TryAccept("10.0.0.1", out _));
        Assert.Null(node.TryAccept("10.0.0.1", out _));
        Assert.Equal("address_limit", node.TryAccept("10.0.0.1", out _));
        Assert.Null(node.TryAccept("10.0.0.2", out _));
        Assert.Null(node.TryAccept("10.0.0.3", out _));
        Assert.Equal("pending_limit", node.TryAccept("10.0.0.4", out _));

        Assert.Equal(4, node.PendingInbound);
        Assert.Equal(2, node.RefusedInbound);
    }

    [Fact]
    public void CompletedHandshake_OrClosedConnection_FreesTheSlot()
    {
        var node = NewNode(pending: 3, perAddress: 2);
        Assert.Null(node.TryAccept("10.0.0.1", out var first));
        Assert.Null(node.TryAccept("10.0.0.1", out var second));
        Assert.Equal("address_limit", node.TryAccept("10.0.0.1", out _));

        Assert.Equal("200", RawPeer.On(node, first).SendHello("x"));
        Assert.Null(node.TryAccept("10.0.0.1", out _));

        node.Closed(second, "gone");
        Assert.Null(node.TryAccept("10.0.0.1", out _));
        Assert.Equal(2, node.PendingInbound);
        Assert.Equal(1, node.RefusedInbound);
    }

    [Fact]
    public void HandshakeNotCompleteInTime_IsClosed_EvenWhileBytesTrickleIn()
    {
        var node = NewNode();
        Assert.Null(node.TryAccept("10.0.0.1", out var slow));
        var hello = Encoding.ASCII.GetBytes("HAProxyS 2.1\na\nx 99 1\n");

        // One byte a second: the session never goes idle, but the handshake deadline still holds.
        // An incomplete hello is not consumed, so each read sees every byte so far (as from a pipe).
        for (var i = 0; i < 9; i++)
        {
            node.Receive(slow, new ReadOnlySequence<byte>(hello[..(i + 1)]), out _, out _);
            _time.Advance(TimeSpan.FromSeconds(1));
            node.Tick();
        }

        Assert.DoesNotContain(Actions(node), a => a.Kind == NodeActionKind.Close && a.Connection == slow);
        _time.Advance(TimeSpan.FromSeconds(1));
        node.Tick();

        Assert.Contains(Actions(node), a => a.Kind == NodeActionKind.Close && a.Connection == slow);
        Assert.Equal(1, node.HandshakeTimeouts);
    }

    [Fact]
    public void EstablishedSession_IsNotSubjectToTheHandshakeDeadline()
    {
        var node = NewNode();
        Assert.Null(node.TryAccept("10.0.0.1", out var id));
        var peer = RawPeer.On(node, id);
        Assert.Equal("200", peer.SendHello("x"));

        for (var i = 0; i < 20; i++)
        {
            // Heartbeats keep the session alive past the handshake deadline.
            peer.SendControl(Protocol.Wire.ControlMessageType.Heartbeat);
            _time.Advance(TimeSpan.FromSeconds(1));
            node.Tick();
        }

        Assert.DoesNotContain(Actions(node), a => a.Kind == NodeActionKind.Close && a.Connection == id);
        Assert.Equal(0, node.HandshakeTimeouts);
    }

    [Fact]
    public void Refusals_AreLoggedOncePerInterval()
    {
        var node = NewNode(pending: 1, perAddress: 1);
        Assert.Null(node.TryAccept("10.0.0.1", out _));

        for (var i = 0; i < 50; i++)
        {
            node.TryAccept("10.0.0.9", out _);
        }

        _time.Advance(TimeSpan.FromSeconds(11));
        node.TryAccept("10.0.0.9", out _);

        var lines = _logs.Entries.Select(e => e.Message).Where(m => m.StartsWith("Refused", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains("Refused 50 inbound connection(s)", lines[1], StringComparison.Ordinal);
        Assert.Equal(51, node.RefusedInbound);
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
}
