// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Session;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// Binds <see cref="ISimNode"/> to a real <see cref="PeerNode"/> (real sessions, codec and
/// coordinator) over real <see cref="StickTable"/>s (adapted by <see cref="StickTableReplica"/>)
/// on the simulation clock, with hash seeds derived from the run's seed (<see cref="SimTables"/>).
/// A restart that keeps tables hands the same table objects to the new node, as a reload keeps
/// the data; the replica adapters are new, like the new process's.
/// </summary>
internal sealed class PeerSimNode : ISimNode
{
    private readonly SimNodeContext _ctx;
    private readonly StickTable[] _tables;
    private readonly Dictionary<string, int> _tableIndex = new(StringComparer.Ordinal);
    private readonly List<string> _problems = [];
    private readonly Dictionary<long, (PeerSessionState State, DateTimeOffset Since)> _states = [];
    private readonly Dictionary<string, long> _lessonApplies;

    public PeerSimNode(SimNodeContext ctx, ILoggerFactory? loggers = null, Func<PeerNodeOptions, PeerNodeOptions>? configure = null, uint? firstUpdateId = null)
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
        Node = new PeerNode(Options, replicas, ctx.Time, loggers ?? NullLoggerFactory.Instance, new Random(ctx.Seed));
        if (ctx.TraceKey is { } filter && ctx.KeyTrace is { } sink)
        {
            TraceKey(filter, sink);
        }
    }

    public PeerNode Node { get; }

    public PeerNodeOptions Options { get; }

    /// <summary>The node's tables (the canonical replicated values the oracle reads).</summary>
    public IReadOnlyList<StickTable> Tables => _tables;

    public string Name => _ctx.Name;

    public bool SpeaksPeersProtocol => true;

    public int Accept() => checked((int)Node.Accept().Value);

    public void Connected(int connection) => Node.Connected(new ConnectionId(connection));

    public void Receive(int connection, ReadOnlySequence<byte> data, out SequencePosition consumed, out SequencePosition examined) =>
        Node.Receive(new ConnectionId(connection), data, out consumed, out examined);

    public void Closed(int connection, SimCloseReason reason) => Node.Closed(new ConnectionId(connection), reason.ToString());

    public void Tick() => Node.Tick();

    public bool TryDequeueAction(out SimNodeAction action)
    {
        if (!Node.TryDequeueAction(out var a))
        {
            action = default;
            return false;
        }

        if (a.Kind == NodeActionKind.Close && a.Reason is { } reason && reason.StartsWith(nameof(SessionCloseReason.InternalError), StringComparison.Ordinal))
        {
            _problems.Add($"session {a.Connection} ({a.PeerName}) closed on an internal error: {reason}");
        }

        var id = checked((int)a.Connection.Value);
        action = a.Kind == NodeActionKind.Connect ? SimNodeAction.Connect(id, a.PeerName ?? "") : SimNodeAction.Close(id);
        return true;
    }

    public int DrainOutput(int connection, IBufferWriter<byte> destination, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var id = new ConnectionId(connection);
        if (!Node.TryGetOutput(id, out var pending) || pending.IsEmpty)
        {
            return 0;
        }

        var n = (int)Math.Min(maxBytes, pending.Length);
        pending.Slice(0, n).CopyTo(destination.GetSpan(n));
        destination.Advance(n);
        Node.AdvanceOutput(id, n);
        return n;
    }

    public void Apply(SimWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var status = SimTables.Apply(_tables[_tableIndex[write.Table]], write);
        if (status is not (LocalUpdateStatus.Created or LocalUpdateStatus.Updated))
        {
            _problems.Add($"local write {write} refused by the table: {status}");
        }

        TraceWrite(write, _ctx.TraceKey, _ctx.KeyTrace);
        Node.Flush();
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

    public IReadOnlyList<string> TakeProblems()
    {
        if (_problems.Count == 0)
        {
            return [];
        }

        var list = _problems.ToArray();
        _problems.Clear();
        return list;
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

    public void Dispose()
    {
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
