// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;
using Stickpeer.TestKit.Transport;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// Deterministic simulation of N processes (production <c>NodeHost</c>s) over an in-memory network
/// with a virtual clock. Every decision (latencies, chunking, cut points, read sizes, faults, writes)
/// comes from one seeded <see cref="Random"/> consumed in event order, and the processes run on one
/// thread (<see cref="DeterministicContext"/>: every continuation of every host, in order, after
/// each event), so a seed replays identically.
/// </summary>
internal sealed partial class Simulation
{
    /// <summary>A node that hears nothing on a session for this long must have closed it (HAProxy: 5–10 s).</summary>
    public const long SilenceLimitMs = 12_000;

    private readonly SimScenario _sc;
    private readonly Func<SimNodeContext, ISimNode> _factory;
    private readonly VirtualScheduler _sched = new();
    private readonly DeterministicContext _context = new();
    private readonly Random _rnd;
    private readonly SimTrace _trace = new();
    private readonly SimOracle _oracle = new();
    private readonly List<string> _violations = [];
    private readonly SimHost[] _hosts;
    private readonly string[] _names;
    private readonly List<SimConnection> _connections = [];
    private readonly (TableSchema Table, byte[] Key, int Owner)[] _keys;
    private readonly IReadOnlyList<TableSchema> _tables;
    private readonly bool _finalChecks;
    private readonly string? _traceKey;
    private readonly SortedDictionary<string, long> _tally = new(StringComparer.Ordinal);

    // Crashed incarnations stay referenced until the run ends: a frozen host's tick timer must not be
    // finalized (that would wake its loop from the finalizer thread) while the run's context still runs.
    private readonly List<ISimNode> _frozen = [];
    private bool _stopped;
    private long _bytesSent;

    /// <summary>Prepares a run of <paramref name="scenario"/> with nodes built by <paramref name="factory"/>.</summary>
    /// <param name="scenario">The run's scenario (seed, faults, workload).</param>
    /// <param name="factory">Builds each node incarnation.</param>
    /// <param name="tables">The shared tables (default: the workload's).</param>
    /// <param name="verbose">Print every trace event.</param>
    /// <param name="finalChecks">Run the end-of-run checks.</param>
    /// <param name="traceKey">Key trace (<c>STICKPEER_SIM_KEY</c>): print every write, update, push and lesson step of the keys whose id (<c>/table|HEX</c>) contains it.</param>
    public Simulation(SimScenario scenario, Func<SimNodeContext, ISimNode> factory, IReadOnlyList<TableSchema>? tables = null, bool verbose = false, bool finalChecks = true, string? traceKey = null)
    {
        _finalChecks = finalChecks;
        _traceKey = string.IsNullOrEmpty(traceKey) ? null : traceKey;
        _sc = scenario;
        _factory = factory;
        _rnd = new Random(scenario.Seed);
        _trace.Verbose = verbose;
        _tables = tables ?? SimWorkload.TablesFor(scenario.ShortExpireMs);
        _names = Enumerable.Range(0, scenario.NodeCount).Select(i => "node" + (char)('a' + i)).ToArray();
        _hosts = _names.Select((n, i) => new SimHost(i, n)).ToArray();
        _keys = _tables.SelectMany(t => Enumerable.Range(0, scenario.KeysPerTable).Select(k => (t, SimWorkload.Key(t, k), _rnd.Next(scenario.NodeCount)))).ToArray();
    }

    public VirtualScheduler Scheduler => _sched;

    public IReadOnlyList<SimHost> Hosts => _hosts;

    /// <summary>Runs after the last event, before nodes are disposed (inspection hook for scripted tests).</summary>
    public Action<Simulation>? AfterRun { get; set; }

    public SimResult Run()
    {
        for (var i = 0; i < _hosts.Length; i++)
        {
            var host = _hosts[i];
            _sched.At(_sc.StartMs[i], () => Start(host, null));
        }

        foreach (var p in _sc.Partitions)
        {
            _sched.At(p.StartMs, () =>
            {
                _trace.Add(_sched.NowMs, "partition", -1, -1, p.EndMs, string.Join(',', p.Side));
                Count("partition");
            });
            _sched.At(p.EndMs, Heal);
        }

        foreach (var c in _sc.Crashes)
        {
            _sched.At(c.AtMs, () => Crash(_hosts[c.Node], c.DownMs, c.KeepTables));
        }

        foreach (var k in _sc.Kills)
        {
            _sched.At(k, KillRandomConnection);
        }

        if (_sc.NodeCount > 1 && _sc.StartMs.All(s => s == _sc.StartMs[0]))
        {
            Count("simultaneous-start");
        }

        if (_sc.FaultEndMs > 0 && _sc.JitterMs > 0)
        {
            Count("jitter-reorders-connections");
        }

        if (_sc.ShortExpireMs <= 2_000)
        {
            Count("expire-2s-run");
        }

        var t = (double)_sc.StartMs.Max() + 200;
        while (true)
        {
            t += -Math.Log(1 - _rnd.NextDouble()) * 1000 / _sc.WritesPerSecond;
            if (t >= _sc.WriteEndMs)
            {
                break;
            }

            _sched.At((long)t, Write);
        }

        // Every event runs on this thread under the run's context, then every continuation it caused.
        using (_context.Enter())
        {
            while (!_stopped && _sched.RunNext(_sc.EndMs))
            {
                if (!_context.RunUntilIdle())
                {
                    Violation("the processes did not settle after an event (1 000 000 continuations)");
                    _stopped = true;
                }
            }

            if (!_stopped && _finalChecks)
            {
                FinalChecks();
            }

            AfterRun?.Invoke(this);
        }

        Count("expiry-relaxed-check", _oracle.ExpiryChecks);
        Count("lesson", _connections.Sum(c => (long)c.TapToAcceptor.LessonEndsSent + c.TapToConnector.LessonEndsSent));
        foreach (var h in _hosts)
        {
            // The processes are frozen where they are, like crashed ones: nothing runs any more.
            CountCollisions(h.Node);
            h.Node = null;
            h.Incarnation++;
        }

        return new SimResult
        {
            Scenario = _sc,
            Violations = _violations,
            TraceHash = _trace.Hash,
            Events = _trace.Events,
            Writes = _oracle.Writes,
            StrictChecks = _oracle.StrictChecks,
            WeakChecks = _oracle.WeakChecks,
            BytesSent = _bytesSent,
            Connections = _connections.Count,
            UpdatesOnWire = _connections.Sum(c => (long)c.TapToAcceptor.Updates + c.TapToConnector.Updates),
            LessonsOnWire = _connections.Sum(c => (long)c.TapToAcceptor.LessonEndsSent + c.TapToConnector.LessonEndsSent),
            TraceTail = _trace.Tail(120).ToArray(),
            Tally = _tally,
        };
    }

    /// <summary>Runs one call of the harness into a process (a write, an inspection) inside the error boundary.</summary>
    public bool Call(SimHost host, string what, Action<ISimNode> body)
    {
        if (_stopped || host.Node is null)
        {
            return false;
        }

        try
        {
            body(host.Node);
        }
        catch (Exception ex)
        {
            Violation($"{host.Name}: unhandled exception during {what}: {ex}");
            _stopped = true;
            return false;
        }

        return true;
    }

    private void Count(string what, long n = 1) => _tally[what] = _tally.GetValueOrDefault(what) + n;

    private void CountCollisions(ISimNode? node)
    {
        if (node is not null && !_stopped)
        {
            Count("collision", node.Collisions);
        }
    }

    private void Violation(string text)
    {
        if (_violations.Count < 200)
        {
            _violations.Add($"[{_sched.NowMs} ms] {text}");
        }

        _trace.Add(_sched.NowMs, "VIOLATION", -1, -1, 0, text);
    }
}
