// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Replication;
using Stickpeer.Node.Transport;
using Stickpeer.Protocol.Session;
using Stickpeer.Tables.Engine;
using Stickpeer.TestKit.Transport;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// One simulated process: the production <see cref="NodeHost"/> (its connection loops, lock, tick
/// timer and reconnects) running a real <see cref="PeerNode"/> (real sessions, codec and
/// coordinator) over real <see cref="StickTable"/>s (adapted by <see cref="StickTableReplica"/>),
/// on the simulated network (<see cref="SimTransport"/>) and clock, with hash seeds derived from
/// the run's seed (<see cref="SimTables"/>).
/// A restart that keeps tables hands the same table objects to the new node, as a reload keeps
/// the data; the replica adapters are new, like the new process's.
/// </summary>
internal sealed class PeerSimNode : ISimNode
{
    private readonly SimNodeContext _ctx;
    private readonly StickTable[] _tables;
    private readonly Dictionary<string, int> _tableIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (PeerSessionState State, DateTimeOffset Since)> _states = [];
    private readonly Dictionary<string, long> _lessonApplies;

    public PeerSimNode(SimNodeContext ctx, Func<PeerNodeOptions, PeerNodeOptions>? configure = null, uint? firstUpdateId = null, Func<IReplicatedTable, IReplicatedTable>? wrapReplica = null)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        _ctx = ctx;
        // With WrapCounters, two thirds of the nodes start their update counters just below the 32-bit wrap.
        var firstId = firstUpdateId ?? (ctx.WrapCounters && ctx.Seed % 3 != 0 ? uint.MaxValue - (uint)(ctx.Seed % 97) : 0u);
        _tables = ctx.Previous is PeerSimNode old
            ? old._tables
            : SimTables.CreateNode(ctx.Tables, ctx.Time, ctx.Seed, firstId, clockNearWrap: ctx.WrapCounters && ctx.Seed % 2 == 0);

        // The kept tables' history goes with them: lessons applied by an earlier incarnation still count.
        _lessonApplies = (ctx.Previous as PeerSimNode)?._lessonApplies ?? new(StringComparer.Ordinal);
        for (var i = 0; i < _tables.Length; i++)
        {
            _tableIndex[_tables[i].Schema.Name] = i;
        }

        var options = new PeerNodeOptions
        {
            LocalPeerName = ctx.Name,
            RemotePeers = [.. ctx.PeerNames.Where(n => n != ctx.Name)],
            ProcessId = 4000 + (ctx.Index * 100) + ctx.Incarnation,
        };
        Options = configure is null ? options : configure(options);
        var nowMs = () => (long)(ctx.Time.GetUtcNow() - VirtualScheduler.Epoch).TotalMilliseconds;
        IReplicatedTable[] replicas = [.. _tables.Select(t => new LessonApplyRecorder(new StickTableReplica(t), nowMs, _lessonApplies))];
        if (wrapReplica is not null)
        {
            replicas = [.. replicas.Select(wrapReplica)];
        }

        Node = new PeerNode(Options, replicas, ctx.Time, ctx.Loggers, new Random(ctx.Seed));
        var section = InMemorySection.Create(ctx.Name, Options.RemotePeers);
        Host = new NodeHost([(section, Node)], ctx.ProcessClock, ctx.Loggers.CreateLogger("Stickpeer.Node.Transport"), transport: ctx.Transport);
        if (ctx.TraceKey is { } filter && ctx.KeyTrace is { } sink)
        {
            TraceKey(filter, sink);
        }
    }

    public PeerNode Node { get; }

    /// <summary>The production host running <see cref="Node"/>.</summary>
    public NodeHost Host { get; }

    public PeerNodeOptions Options { get; }

    /// <summary>The node's tables (the canonical replicated values the oracle reads).</summary>
    public IReadOnlyList<StickTable> Tables => _tables;

    public string Name => _ctx.Name;

    public void Start() => Host.Start();

    public void Apply(SimWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);

        // As a CLI write does: under the host's lock, which then lets the node push the change.
        var status = Host.Invoke(() => SimTables.Apply(_tables[_tableIndex[write.Table]], write));
        if (status is not (LocalUpdateStatus.Created or LocalUpdateStatus.Updated))
        {
            throw new InvalidOperationException($"local write {write} refused by the table: {status}");
        }

        TraceWrite(write, _ctx.TraceKey, _ctx.KeyTrace);
    }

    public string? ReadEntry(string table, ReadOnlySpan<byte> key) => SimTables.Read(_tables[_tableIndex[table]], key);

    public IReadOnlyDictionary<string, string> Snapshot()
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in _tables)
        {
            foreach (var (key, values) in SimTables.All(t))
            {
                d[t.Schema.Name + "|" + Convert.ToHexString(key)] = values;
            }
        }

        return d;
    }

    public IEnumerable<SimSessionInfo> Sessions()
    {
        var now = _ctx.Time.GetUtcNow();
        var snap = Node.GetSnapshot();
        var seen = new HashSet<long>();
        foreach (var p in snap.Peers)
        {
            if (p.Connection is not { } c || p.SessionState is not { } state)
            {
                continue;
            }

            seen.Add(c.Value);
            if (!_states.TryGetValue(c.Value, out var s) || s.State != state)
            {
                _states[c.Value] = s = (state, now);
            }

            TimeSpan? limit = state switch
            {
                PeerSessionState.Created => Options.ConnectTimeout,
                PeerSessionState.AwaitingHello or PeerSessionState.AwaitingStatus => Options.DeadPeerTimeout,
                PeerSessionState.Closing => TimeSpan.FromSeconds(1),
                _ => null,
            };
            yield return new SimSessionInfo((int)c.Value, p.Name, state.ToString(), now - s.Since, limit);
        }

        foreach (var gone in _states.Keys.Where(k => !seen.Contains(k)).ToArray())
        {
            _states.Remove(gone);
        }
    }

    public long Collisions => Node.GetSnapshot().Peers.Sum(p => p.Collisions);

    public IReadOnlyDictionary<string, long>? LessonAppliesMs => _lessonApplies;

    public IEnumerable<string> EndOfRunProblems()
    {
        var snap = Node.GetSnapshot();
        if (snap.SyncState != SyncState.Finished)
        {
            yield return $"sync state {snap.SyncState} (learning from {snap.LearningFrom?.ToString() ?? "nobody"})";
        }

        if (snap.LearningFrom is { } l)
        {
            yield return $"still learning from {l}";
        }

        foreach (var p in snap.Peers)
        {
            if (p.Teaching)
            {
                yield return $"still teaching {p.Name} (no 00 03 received)";
            }

            if (p.SessionState != PeerSessionState.Established)
            {
                yield return $"peer {p.Name}: session state {p.SessionState?.ToString() ?? "none"}";
            }
        }

        if (Node.Coordinator.PendingEvents > 0)
        {
            yield return $"{Node.Coordinator.PendingEvents} coordinator events not processed";
        }
    }

    /// <summary>
    /// The key trace (<c>STICKPEER_SIM_KEY</c>): every update of a matching key received (with the
    /// lesson state, the preserve mark and the entry before and after), pushed or taught, and every
    /// session event of the replication layer (established, lesson request and end, ACKs, teach).
    /// </summary>
    private void TraceKey(string filter, Action<int, string> sink)
    {
        sink(-1, $"tables: {string.Join(' ', _tables.Select(t => $"{t.Schema.Name}@mark={t.LocalChangeMark}"))}");
        Node.EventObserver = (conn, text) => sink(checked((int)conn.Value), text);
        Node.UpdateObserver = (conn, t, update, text) =>
        {
            var table = _tables[t];
            var id = table.Schema.Name + "|" + Convert.ToHexString(update.Key);
            if (!id.Contains(filter, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            var held = SimTables.Read(table, update.Key) ?? "<absent>";
            var local = table.HasLocalChangeSince(update.Key, long.MinValue) ? "local" : "learned";
            var sent = text.StartsWith("applied", StringComparison.Ordinal) ? "" : $" msg=[{SimCanonical.Render(update.Values)}]";
            sink(checked((int)conn.Value), $"{id} {text}{sent} held=[{held}] {local} tableMark={table.LocalChangeMark}");
        };
    }

    /// <summary>Traces a local write of a matching key (called by the harness after the write).</summary>
    public void TraceWrite(SimWrite write, string? filter, Action<int, string>? sink)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (filter is null || sink is null || !write.KeyId.Contains(filter, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var table = _tables[_tableIndex[write.Table]];
        sink(-1, $"{write.KeyId} local write {write.Kind} {write.Type}[{write.Index}] → [{SimTables.Read(table, write.Key)}] tableMark={table.LocalChangeMark} newestId={table.NewestLocalUpdateId}");
    }
}
