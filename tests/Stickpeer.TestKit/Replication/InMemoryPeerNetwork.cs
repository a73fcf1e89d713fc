// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Replication;
using Stickpeer.Node.Transport;
using Stickpeer.TestKit.Transport;

namespace Stickpeer.TestKit.Replication;

/// <summary>
/// <see cref="PeerNode"/>s run by real <see cref="NodeHost"/>s over one deterministic
/// <see cref="VirtualPeerTransport"/>, on one <see cref="FakeTimeProvider"/> and one
/// <see cref="DeterministicContext"/>: nothing runs until the test calls <see cref="Pump"/> or
/// <see cref="Advance"/>, and then everything runs on the test's thread in a repeatable order.
/// Faults: refuse connections between two nodes (<see cref="Block"/>), cut live links
/// (<see cref="Cut"/>, <see cref="CutAfter"/>), deliver bytes in small reads (<see cref="MaxChunk"/>),
/// hold a node's output (<see cref="Hold"/>, <see cref="HoldAfter"/>).
/// </summary>
public sealed class InMemoryPeerNetwork
{
    private readonly Dictionary<string, (PeerNode Node, NodeHost Host, PeersSectionDefinition Section)> _nodes = new(StringComparer.Ordinal);
    private readonly DeterministicContext _context = new();
    private readonly List<NodeHost> _unstarted = [];

    /// <summary>Creates a network with a clock starting at a fixed date.</summary>
    public InMemoryPeerNetwork(int seed = 1)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Random = new Random(seed);
    }

    /// <summary>The shared clock (the hosts' ticks are its timers).</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>Random source handed to nodes created by <see cref="AddNode"/>.</summary>
    public Random Random { get; }

    /// <summary>The hosts' transport (4 KiB window per direction, so held output stays with its node).</summary>
    public VirtualPeerTransport Transport { get; } = new(windowBytes: 4096);

    /// <summary>Largest number of bytes a host reads at once (default: everything there is).</summary>
    public int MaxChunk
    {
        get => Transport.Faults.MaxChunk;
        set => Transport.Faults.MaxChunk = value;
    }

    /// <summary>Logger factory for new nodes and their hosts.</summary>
    public ILoggerFactory Loggers { get; set; } = NullLoggerFactory.Instance;

    /// <summary>Gets a node by name.</summary>
    public PeerNode this[string name] => _nodes[name].Node;

    /// <summary>The host running a node.</summary>
    public NodeHost HostOf(string name) => _nodes[name].Host;

    /// <summary>Number of live links.</summary>
    public int LinkCount => Transport.LiveLinks;

    /// <summary>
    /// Creates a node named <paramref name="name"/> knowing <paramref name="peers"/>; its host starts
    /// (listens and ticks) at the next <see cref="Pump"/>, together with every node added since.
    /// </summary>
    public PeerNode AddNode(string name, IReadOnlyList<string> peers, IReadOnlyList<IReplicatedTable> tables, Func<PeerNodeOptions, PeerNodeOptions>? configure = null)
    {
        var options = new PeerNodeOptions { LocalPeerName = name, RemotePeers = peers, ProcessId = 1000 + _nodes.Count };
        options = configure?.Invoke(options) ?? options;
        var node = new PeerNode(options, tables, Time, Loggers, new Random(Random.Next()));
        Add(name, node, peers);
        return node;
    }

    /// <summary>
    /// Runs <paramref name="node"/> (built by the test) in a new host known on the network as
    /// <paramref name="name"/>; it listens at <paramref name="name"/>'s address. Its local peer name
    /// may differ (a second process of a peer, e.g. "b-old" for a node named "b"): its links then
    /// carry <paramref name="name"/> for the faults. Starts at the next <see cref="Pump"/>.
    /// </summary>
    public void Add(string name, PeerNode node, IReadOnlyList<string> peers)
    {
        ArgumentNullException.ThrowIfNull(node);
        var local = node.Options.LocalPeerName;
        var section = InMemorySection.Create(local, peers, listenAs: name == local ? null : name);
        if (name != local)
        {
            Transport.Alias(section, name);
        }

        var host = new NodeHost([(section, node)], Time, Loggers.CreateLogger("Stickpeer.Node.Transport"), transport: Transport);
        _nodes[name] = (node, host, section);
        _unstarted.Add(host);
    }

    /// <summary>
    /// A reload's first step for the old process of <paramref name="name"/>: its host stops listening (the
    /// name's address is free for the new process, see <see cref="Add"/>) and keeps its sessions; it is
    /// known as <paramref name="alias"/> from now on (faults on links it opens use that name).
    /// </summary>
    public void MoveAside(string name, string alias)
    {
        var entry = _nodes[name];
        _nodes.Remove(name);
        _nodes[alias] = entry;
        Transport.Alias(entry.Section, alias);
        using (_context.Enter())
        {
            _ = entry.Host.StopListeningAsync();
        }

        Pump();
    }

    /// <summary>
    /// Stops the host of <paramref name="name"/> (its sessions closed, as at a process exit) and forgets
    /// the name, so a new node can be added under it (a restart with an empty table).
    /// </summary>
    public void Remove(string name)
    {
        var entry = _nodes[name];
        _nodes.Remove(name);
        Task stopped;
        using (_context.Enter())
        {
            stopped = entry.Host.StopAsync(TimeSpan.FromSeconds(1));
        }

        for (var step = 0; step < 30 && !stopped.IsCompleted; step++)
        {
            Advance(TimeSpan.FromMilliseconds(100));
        }

        if (!stopped.IsCompleted)
        {
            throw new InvalidOperationException($"the host of '{name}' did not stop");
        }
    }

    /// <summary>Refuses new connections between two nodes (both directions) until <see cref="Unblock"/>.</summary>
    public void Block(string a, string b) => Transport.Faults.Block(a, b);

    /// <summary>Allows connections between two nodes again.</summary>
    public void Unblock(string a, string b) => Transport.Faults.Unblock(a, b);

    /// <summary>Holds output written by <paramref name="node"/> (it stays with its host and node) until <see cref="Release"/>.</summary>
    public void Hold(string node) => Transport.Faults.Hold(node);

    /// <summary>Lets at most <paramref name="bytes"/> more bytes go from <paramref name="from"/> to <paramref name="to"/>, then holds the rest until <see cref="Release"/>.</summary>
    public void HoldAfter(string from, string to, long bytes) => Transport.Faults.HoldAfter(from, to, bytes);

    /// <summary>Lets <paramref name="node"/>'s output go again.</summary>
    public void Release(string node) => Transport.Faults.Release(node);

    /// <summary>Cuts every live link between two nodes (both ends read the end of the stream).</summary>
    public void Cut(string a, string b)
    {
        Transport.Cut(a, b);
        Pump();
    }

    /// <summary>Cuts the next link from <paramref name="from"/> to <paramref name="to"/> once <paramref name="bytes"/> bytes went that way on it (one shot).</summary>
    public void CutAfter(string from, string to, long bytes) => Transport.Faults.CutAfter(from, to, bytes);

    /// <summary>Moves the clock by <paramref name="duration"/> in <paramref name="step"/> increments (default 100 ms, the hosts' tick), running everything due after each.</summary>
    public void Advance(TimeSpan duration, TimeSpan? step = null)
    {
        var s = step ?? TimeSpan.FromMilliseconds(100);
        var end = Time.GetUtcNow() + duration;
        Pump();
        while (Time.GetUtcNow() < end)
        {
            var left = end - Time.GetUtcNow();
            Time.Advance(left < s ? left : s);
            Pump();
        }
    }

    /// <summary>Ticks every node once now (as its host does every 100 ms) and pumps.</summary>
    public void TickAll()
    {
        foreach (var (node, host, _) in _nodes.Values)
        {
            host.Invoke(() =>
            {
                node.Tick();
                return 0;
            });
        }

        Pump();
    }

    /// <summary>
    /// Lets every host push what its node holds (a test may have written to a table or called the node
    /// directly), then runs everything the hosts queued until nothing is left (bounded).
    /// </summary>
    public void Pump()
    {
        using (_context.Enter())
        {
            foreach (var host in _unstarted)
            {
                host.Start();
            }

            _unstarted.Clear();
            foreach (var (_, host, _) in _nodes.Values)
            {
                host.Invoke(() => 0);
            }
        }

        if (!_context.RunUntilIdle())
        {
            throw new InvalidOperationException("the network did not settle");
        }
    }
}
