// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Node.Replication;

namespace Stickpeer.Node.Tests.Replication;

/// <summary>
/// Kept for <see cref="HandoverTests"/> only, until they run on real hosts over TestKit's
/// InMemoryPeerNetwork (issue 17: two processes of one peer name need that network to let a
/// name move from one host to another). A tiny deterministic transport for <see cref="PeerNode"/> tests: nodes registered by
/// peer name, connections as in-memory byte queues, one shared <see cref="FakeTimeProvider"/>.
/// <see cref="Pump"/> executes node actions and moves bytes until nothing moves;
/// <see cref="Advance"/> moves the clock in steps, ticking every node. Faults: refuse
/// connections between two nodes (<see cref="Block"/>), cut live links (<see cref="Cut"/>),
/// deliver bytes in small chunks (<see cref="MaxChunk"/>), hold a node's output (<see cref="Hold"/>).
/// </summary>
internal sealed class DirectPeerNetwork
{
    private readonly Dictionary<string, PeerNode> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Node, ConnectionId Id), End> _ends = [];
    private readonly HashSet<(string, string)> _blocked = [];
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), long> _cutAfter = [];
    private readonly Dictionary<(string, string), long> _holdAfter = [];

    /// <summary>Creates a network with a clock starting at a fixed date.</summary>
    public DirectPeerNetwork(int seed = 1)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Random = new Random(seed);
    }

    /// <summary>The shared clock.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>Random source handed to nodes created by <see cref="AddNode"/>.</summary>
    public Random Random { get; }

    /// <summary>Largest number of bytes delivered per <see cref="PeerNode.Receive"/> call (default: everything).</summary>
    public int MaxChunk { get; set; } = int.MaxValue;

    /// <summary>Logger factory for new nodes.</summary>
    public ILoggerFactory Loggers { get; set; } = NullLoggerFactory.Instance;

    /// <summary>Every byte delivered, per (from, to) node pair — for wire assertions.</summary>
    public Dictionary<(string From, string To), List<byte>> Wire { get; } = [];

    /// <summary>Creates and registers a node named <paramref name="name"/> knowing <paramref name="peers"/>.</summary>
    public PeerNode AddNode(string name, IReadOnlyList<string> peers, IReadOnlyList<IReplicatedTable> tables, Func<PeerNodeOptions, PeerNodeOptions>? configure = null)
    {
        var options = new PeerNodeOptions { LocalPeerName = name, RemotePeers = peers, ProcessId = 1000 + _nodes.Count };
        options = configure?.Invoke(options) ?? options;
        var node = new PeerNode(options, tables, Time, Loggers, new Random(Random.Next()));
        _nodes[name] = node;
        return node;
    }

    /// <summary>Registers a node built elsewhere.</summary>
    public void Add(string name, PeerNode node) => _nodes[name] = node;

    /// <summary>Gets a node by name.</summary>
    public PeerNode this[string name] => _nodes[name];

    /// <summary>Refuses new connections between two nodes (both directions) until <see cref="Unblock"/>.</summary>
    public void Block(string a, string b)
    {
        _blocked.Add((a, b));
        _blocked.Add((b, a));
    }

    /// <summary>Allows connections between two nodes again.</summary>
    public void Unblock(string a, string b)
    {
        _blocked.Remove((a, b));
        _blocked.Remove((b, a));
    }

    /// <summary>Stops delivering output written by <paramref name="node"/> (it stays queued) until <see cref="Release"/>.</summary>
    public void Hold(string node) => _held.Add(node);

    /// <summary>
    /// Delivers at most <paramref name="bytes"/> more bytes from <paramref name="from"/> to
    /// <paramref name="to"/>, then holds the rest (queued in the node) until <see cref="Release"/>.
    /// </summary>
    public void HoldAfter(string from, string to, long bytes) => _holdAfter[(from, to)] = bytes;

    /// <summary>Resumes delivering <paramref name="node"/>'s output.</summary>
    public void Release(string node)
    {
        _held.Remove(node);
        foreach (var key in _holdAfter.Keys.Where(k => k.Item1 == node).ToArray())
        {
            _holdAfter.Remove(key);
        }
    }

    /// <summary>Closes every live link between two nodes abruptly (both ends see the transport close; undelivered bytes are lost).</summary>
    public void Cut(string a, string b)
    {
        foreach (var end in _ends.Values.Where(e => (e.Node == a && e.Remote.Node == b) || (e.Node == b && e.Remote.Node == a)).ToArray())
        {
            CloseEnd(end, "link cut");
        }
    }

    /// <summary>
    /// Cuts the next link between <paramref name="from"/> and <paramref name="to"/> once
    /// <paramref name="bytes"/> bytes went from <paramref name="from"/> to <paramref name="to"/> on it (one shot).
    /// </summary>
    public void CutAfter(string from, string to, long bytes) => _cutAfter[(from, to)] = bytes;

    /// <summary>Number of live links.</summary>
    public int LinkCount => _ends.Count / 2;

    /// <summary>Moves the clock by <paramref name="duration"/> in <paramref name="step"/> increments (default 100 ms), ticking and pumping every node.</summary>
    public void Advance(TimeSpan duration, TimeSpan? step = null)
    {
        var s = step ?? TimeSpan.FromMilliseconds(100);
        var end = Time.GetUtcNow() + duration;
        while (Time.GetUtcNow() < end)
        {
            var left = end - Time.GetUtcNow();
            Time.Advance(left < s ? left : s);
            TickAll();
        }
    }

    /// <summary>Ticks every node once and pumps.</summary>
    public void TickAll()
    {
        foreach (var node in _nodes.Values)
        {
            node.Tick();
        }

        Pump();
    }

    /// <summary>Executes actions and delivers bytes until nothing changes (bounded).</summary>
    public void Pump(int maxRounds = 10_000)
    {
        for (var round = 0; round < maxRounds; round++)
        {
            var moved = false;
            foreach (var (name, node) in _nodes.ToArray())
            {
                while (node.TryDequeueAction(out var action))
                {
                    moved = true;
                    Execute(name, node, action);
                }
            }

            foreach (var end in _ends.Values.ToArray())
            {
                moved |= Deliver(end);
            }

            if (!moved)
            {
                return;
            }
        }

        throw new InvalidOperationException("the network did not settle");
    }

    private void Execute(string name, PeerNode node, NodeAction action)
    {
        switch (action.Kind)
        {
            case NodeActionKind.Connect:
                if (action.PeerName is null || !_nodes.TryGetValue(action.PeerName, out var target) || _blocked.Contains((name, action.PeerName)))
                {
                    node.Closed(action.Connection, "connection refused");
                    return;
                }

                var accepted = target.Accept();
                var a = new End(name, node, action.Connection);
                var b = new End(action.PeerName, target, accepted);
                a.Remote = b;
                b.Remote = a;
                _ends[(name, action.Connection)] = a;
                _ends[(action.PeerName, accepted)] = b;
                node.Connected(action.Connection);
                return;
            case NodeActionKind.Close:
                if (_ends.TryGetValue((name, action.Connection), out var end))
                {
                    // Flush what the node still wants to send (status line, error message), then close.
                    Deliver(end, force: true);
                    CloseEnd(end, "closed by peer");
                }
                else
                {
                    node.Closed(action.Connection, "closed");
                }

                return;
        }
    }

    private bool Deliver(End from, bool force = false)
    {
        if (!_ends.ContainsKey((from.Node, from.Id)) || (_held.Contains(from.Node) && !force))
        {
            return false;
        }

        var moved = false;
        if (from.Owner.TryGetOutput(from.Id, out var pending))
        {
            var bytes = pending.ToArray();
            if (!force && _holdAfter.TryGetValue((from.Node, from.Remote.Node), out var allowance))
            {
                if (allowance == 0)
                {
                    return DeliverInbox(from.Remote);
                }

                if (allowance < bytes.Length)
                {
                    bytes = bytes[..(int)allowance];
                }

                _holdAfter[(from.Node, from.Remote.Node)] = allowance - bytes.Length;
            }

            if (!force && _cutAfter.TryGetValue((from.Node, from.Remote.Node), out var budget))
            {
                if (budget < bytes.Length)
                {
                    // Deliver up to the cut point, then the link breaks.
                    _cutAfter.Remove((from.Node, from.Remote.Node));
                    from.Remote.Inbox.AddRange(bytes.AsSpan(0, (int)budget).ToArray());
                    from.Owner.AdvanceOutput(from.Id, bytes.Length);
                    DeliverInbox(from.Remote);
                    CloseEnd(from, "link cut");
                    return true;
                }

                _cutAfter[(from.Node, from.Remote.Node)] = budget - bytes.Length;
            }

            from.Owner.AdvanceOutput(from.Id, bytes.Length);
            from.Remote.Inbox.AddRange(bytes);
            if (!Wire.TryGetValue((from.Node, from.Remote.Node), out var log))
            {
                Wire[(from.Node, from.Remote.Node)] = log = [];
            }

            log.AddRange(bytes);
            moved = true;
        }

        return DeliverInbox(from.Remote) || moved;
    }

    private bool DeliverInbox(End to)
    {
        var moved = false;
        while (to.Inbox.Count > to.Examined && _ends.ContainsKey((to.Node, to.Id)))
        {
            var n = Math.Min(to.Inbox.Count, to.Examined + MaxChunk);
            var data = new ReadOnlySequence<byte>(to.Inbox.GetRange(0, n).ToArray());
            to.Owner.Receive(to.Id, data, out var consumed, out _);
            var used = (int)data.Slice(0, consumed).Length;
            to.Inbox.RemoveRange(0, used);
            to.Examined = n - used;
            moved = true;
            if (used == 0 && n == to.Inbox.Count)
            {
                break;
            }
        }

        return moved;
    }

    private void CloseEnd(End end, string reason)
    {
        if (!_ends.Remove((end.Node, end.Id)))
        {
            return;
        }

        _ends.Remove((end.Remote.Node, end.Remote.Id));
        end.Owner.Closed(end.Id, reason);
        end.Remote.Owner.Closed(end.Remote.Id, reason);
    }

    private sealed class End(string node, PeerNode owner, ConnectionId id)
    {
        public string Node { get; } = node;

        public PeerNode Owner { get; } = owner;

        public ConnectionId Id { get; } = id;

        public End Remote { get; set; } = null!;

        public List<byte> Inbox { get; } = [];

        /// <summary>Bytes at the front of <see cref="Inbox"/> the owner has examined without consuming.</summary>
        public int Examined { get; set; }
    }
}
