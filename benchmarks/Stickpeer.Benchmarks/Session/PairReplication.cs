// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Node.Replication;
using Stickpeer.Node.Transport;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.TestKit.Transport;

namespace Stickpeer.Benchmarks.Session;

/// <summary>
/// Two real <see cref="PeerNode"/>s over real <see cref="StickTable"/>s, each run by the production
/// <see cref="NodeHost"/> (its read and write loops, lock and flushes) over TestKit's
/// <see cref="VirtualPeerTransport"/>: no sockets, and everything on the caller's thread
/// (<see cref="DeterministicContext"/>), so a benchmark measures the host's loop and the node, not
/// thread hops. Node a is up to date; node b learns from it at start-up.
/// </summary>
internal sealed class PairReplication
{
    public static readonly TableSchema Schema = new("/bench", StickKeyType.Integer, 4, 3_600_000,
        [new(StickDataType.ServerId, 1, 0), new(StickDataType.Gpc0, 1, 0), new(StickDataType.HttpReqRate, 1, 10_000)]);

    // The clock moves only when the pair is idle and waiting for something (a reconnect, a lesson retry).
    private const int MaxIdleTicks = 1000;

    private readonly DeterministicContext _context = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly VirtualPeerTransport _transport = new(windowBytes: 1 << 20);

    public PairReplication(StickTable tableA, StickTable tableB)
    {
        A = new StickTableReplica(tableA);
        B = new StickTableReplica(tableB);
        NodeA = new PeerNode(new PeerNodeOptions { LocalPeerName = "a", RemotePeers = ["b"], LearnOnStartup = false, ProcessId = 1 }, [A], _time, NullLoggerFactory.Instance, new Random(1));
        NodeB = new PeerNode(new PeerNodeOptions { LocalPeerName = "b", RemotePeers = ["a"], ProcessId = 2 }, [B], _time, NullLoggerFactory.Instance, new Random(2));
        HostA = new NodeHost([(InMemorySection.Create("a", ["b"]), NodeA)], _time, transport: _transport);
        HostB = new NodeHost([(InMemorySection.Create("b", ["a"]), NodeB)], _time, transport: _transport);
        _transport.Faults.Wire = (from, _, bytes) =>
        {
            if (from == "a")
            {
                BytesAtoB += bytes.Length;
            }
            else
            {
                BytesBtoA += bytes.Length;
            }
        };

        // a first: its connect to b is refused (b is not listening yet) and waits for its retry;
        // b then connects to a, and that session is the pair's.
        using (_context.Enter())
        {
            HostA.Start();
            _context.RunUntilIdle();
            HostB.Start();
        }
    }

    public StickTableReplica A { get; }

    public StickTableReplica B { get; }

    public PeerNode NodeA { get; }

    public PeerNode NodeB { get; }

    public NodeHost HostA { get; }

    public NodeHost HostB { get; }

    public long BytesAtoB { get; private set; }

    public long BytesBtoA { get; private set; }

    /// <summary>
    /// Runs both hosts until neither has anything left to do (or <paramref name="until"/> holds); each
    /// time they go idle, the hosts flush what the tables changed (as after a CLI write), and while
    /// <paramref name="until"/> does not hold the clock moves one tick. Returns the bytes moved.
    /// </summary>
    public long Pump(Func<bool>? until = null)
    {
        var start = BytesAtoB + BytesBtoA;
        for (var idle = 0; until?.Invoke() != true;)
        {
            var before = BytesAtoB + BytesBtoA;
            using (_context.Enter())
            {
                HostA.Invoke(static () => 0);
                HostB.Invoke(static () => 0);
            }

            _context.RunUntilIdle(int.MaxValue);
            if (BytesAtoB + BytesBtoA != before)
            {
                idle = 0;
                continue;
            }

            if (until is null)
            {
                break;
            }

            if (++idle > MaxIdleTicks)
            {
                throw new InvalidOperationException($"the pair went idle for {MaxIdleTicks} ticks before the condition held");
            }

            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        return BytesAtoB + BytesBtoA - start;
    }
}
