// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Node.Replication;
using Stickpeer.Node.Tests.Transport;
using Stickpeer.TestKit.Replication;

namespace Stickpeer.Node.Tests.Replication;

/// <summary>An absent peer is retried every few seconds; the log says so once, then when it changes.</summary>
public sealed class AbsentPeerLogTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ListLoggerProvider _logs = new();

    [Fact]
    public void RepeatedSameFailure_IsOneInfoLine_ThenAChangeAndTheRecoveryAreLogged()
    {
        var node = new PeerNode(
            new PeerNodeOptions { LocalPeerName = "a", RemotePeers = ["x"], LearnOnStartup = false, ProcessId = 7 },
            [InMemoryReplicatedTable.CreateStringGpc0()],
            _time,
            LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug)),
            new Random(3));

        for (var i = 0; i < 6; i++)
        {
            FailNextConnect(node, "Connection refused");
        }

        FailNextConnect(node, "Connection timed out");
        var id = NextConnect(node);
        RawPeer.AnswerOutbound(node, id, 200);

        var info = _logs.Entries.Where(e => e.Id.Id is 2109 or 2119).Select(e => e.Message).ToList();
        Assert.Equal(
            [
                "Peer x: session on c1 ended (TransportClosed: Connection refused)",
                "Peer x: session on c7 ended (TransportClosed: Connection timed out)",
                "Peer x: session up after 1 failed attempt(s) (TransportClosed: Connection timed out)",
            ],
            info);
        Assert.Equal(5, _logs.Entries.Count(e => e.Id.Id == 2118));
        Assert.Contains(_logs.Entries, e => e.Id.Id == 2108); // the session itself is still logged as up
    }

    private void FailNextConnect(PeerNode node, string reason) => node.Closed(NextConnect(node), reason);

    /// <summary>Advances the clock until the node asks to connect; returns that connection.</summary>
    private ConnectionId NextConnect(PeerNode node)
    {
        for (var i = 0; i < 100; i++)
        {
            node.Tick();
            while (node.TryDequeueAction(out var action))
            {
                if (action.Kind == NodeActionKind.Connect)
                {
                    return action.Connection;
                }
            }

            _time.Advance(TimeSpan.FromMilliseconds(500));
        }

        throw new InvalidOperationException("the node never asked to connect");
    }
}
