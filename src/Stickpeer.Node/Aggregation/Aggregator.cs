// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Node.Aggregation;

/// <summary>
/// One <c>aggregate &lt;output&gt; from &lt;source&gt;...</c> rule. Every update a peer sends for a
/// source table replaces that peer's contribution for the key (one internal table per source and
/// peer, so a re-teach or a resync overwrites and never adds twice); the key's output entry is then
/// recomputed from the contributions of that key only and written to the output table as a local
/// change, which the node pushes to every peer. Keys are recomputed once per received batch
/// (<see cref="Flush"/>) and when a contribution expires (<see cref="Sweep"/>). Output-table updates
/// are never input. Called only under the node's lock.
/// </summary>
public sealed class Aggregator
{
    private readonly StickTable[][] _contributions; // [source][peer]
    private readonly Dictionary<string, int> _peerIndex;
    private readonly HashSet<byte[]> _dirty = new(KeyComparer.Instance);
    private readonly Dictionary<byte[], Scheduled> _scheduled = new(KeyComparer.Instance);
    private readonly PriorityQueue<byte[], long> _checks = new();
    private readonly EntryValues[] _scratch;
    private readonly EntryValues _out;
    private readonly OutputSlot[] _plan;
    private readonly TimeProvider _time;

    internal Aggregator(StickTable output, IReadOnlyList<StickTable> sources, IReadOnlyList<string> peers, StickTable[][] contributions, TimeProvider time)
    {
        Output = output;
        Sources = sources;
        Peers = peers;
        _contributions = contributions;
        _time = time;
        _peerIndex = peers.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i, StringComparer.Ordinal);
        _scratch = [.. sources.Select(s => new EntryValues(s.Schema))];
        _out = new EntryValues(output.Schema);
        _plan = OutputSlot.Plan(output.Schema, sources);
    }

    /// <summary>The output table (an ordinary replicated table).</summary>
    public StickTable Output { get; }

    /// <summary>The source tables, in configuration order.</summary>
    public IReadOnlyList<StickTable> Sources { get; }

    /// <summary>The peers whose updates count (the section's remote peers).</summary>
    public IReadOnlyList<string> Peers { get; }

    /// <summary>Every internal contribution table (one per source and peer), for persistence and the sweep.</summary>
    public IEnumerable<StickTable> ContributionTables => _contributions.SelectMany(c => c);

    /// <summary>Live contributions (source entries of every peer not expired yet).</summary>
    public long Contributors => _contributions.Sum(c => c.Sum(t => t.Count));

    /// <summary>Output entries computed.</summary>
    public long Recomputes => Volatile.Read(ref _recomputes);

    /// <summary>Source updates taken as contributions.</summary>
    public long ContributionsReceived => Volatile.Read(ref _received);

    private long _recomputes;
    private long _received;

    /// <summary>Keys waiting for <see cref="Flush"/>.</summary>
    public int Pending => _dirty.Count;

    /// <summary>
    /// <paramref name="peer"/> sent <paramref name="update"/> for source table <paramref name="source"/>:
    /// it becomes that peer's contribution for the key (replacing the previous one). Updates from a
    /// peer that is not a remote peer of the section (the local peer's hand-over) are not contributions.
    /// </summary>
    public void Contribute(int source, string peer, DecodedUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (!_peerIndex.TryGetValue(peer, out var p) || (uint)source >= (uint)_contributions.Length)
        {
            return;
        }

        var table = _contributions[source][p];
        var result = table.ApplyRemote(update);
        if (result is not (ApplyResult.Applied or ApplyResult.Created))
        {
            return;
        }

        _received++;
        var key = update.Key.ToArray();
        _dirty.Add(key);
        if (table.ExpireMs != 0)
        {
            var life = update.HasExpire ? Math.Min(update.ExpireMs, table.ExpireMs) : table.ExpireMs;
            Schedule(key, NowMs() + life, keepCount: true); // expired once now >= expiry
        }
    }

    /// <summary>Recomputes and publishes every key changed since the last call.</summary>
    public void Flush()
    {
        if (_dirty.Count == 0)
        {
            return;
        }

        foreach (var key in _dirty)
        {
            var count = Recompute(key, out _);
            if (_scheduled.TryGetValue(key, out var s))
            {
                _scheduled[key] = s with { Contributors = count };
            }

            Output.Publish(key, _out);
        }

        _dirty.Clear();
    }

    /// <summary>
    /// Recomputes keys whose earliest contribution may have expired; publishes those that lost a
    /// contribution. Called once a second by the node's sweep.
    /// </summary>
    public void Sweep()
    {
        var now = NowMs();
        while (_checks.TryPeek(out var key, out var due) && due <= now)
        {
            _checks.Dequeue();
            if (!_scheduled.TryGetValue(key, out var s) || s.Due != due)
            {
                continue; // superseded
            }

            _scheduled.Remove(key);
            var count = Recompute(key, out var soonest);
            if (count != s.Contributors)
            {
                Output.Publish(key, _out);
            }

            if (count > 0 && soonest is { } remaining)
            {
                Schedule(key, now + remaining, keepCount: false, count);
            }
        }
    }

    /// <summary>After a restart from the data directory: checks every restored contribution's key again.</summary>
    public void ScheduleRestored()
    {
        var now = NowMs();
        foreach (var table in ContributionTables)
        {
            foreach (var entry in table.Enumerate())
            {
                var key = entry.Key.ToArray();
                Schedule(key, now, keepCount: false, count: -1);
            }
        }
    }

    /// <summary>Computes the key's output into <c>_out</c>; returns how many contributions it has and the soonest remaining lifetime among them.</summary>
    private int Recompute(byte[] key, out uint? soonest)
    {
        _recomputes++;
        _out.Clear();
        soonest = null;
        var count = 0;
        var outSlots = _out.Slots;
        var first = true;
        uint newestRemaining = 0;
        for (var s = 0; s < _contributions.Length; s++)
        {
            var values = _scratch[s];
            for (var p = 0; p < _contributions[s].Length; p++)
            {
                var table = _contributions[s][p];
                if (!table.TryFillValues(key, values, out var remaining))
                {
                    continue;
                }

                count++;
                if (table.ExpireMs != 0 && (soonest is null || remaining < soonest))
                {
                    soonest = remaining;
                }

                var newest = first || remaining > newestRemaining;
                if (newest)
                {
                    newestRemaining = remaining;
                }

                var from = values.Slots;
                foreach (var step in _plan)
                {
                    var src = step.SourceSlots[s];
                    if (src >= 0)
                    {
                        AggregateMath.Add(step.Kind, step.Encoding, step.PeriodMs, ref outSlots[step.Slot], in from[src], first, newest);
                    }
                }

                first = false;
            }
        }

        return count;
    }

    private void Schedule(byte[] key, long due, bool keepCount, int count = 0)
    {
        if (_scheduled.TryGetValue(key, out var s))
        {
            if (s.Due <= due)
            {
                return; // an earlier check recomputes and reschedules at the real soonest expiry
            }

            count = keepCount ? s.Contributors : count;
        }
        else if (keepCount)
        {
            count = -1; // unknown until the next Flush
        }

        _scheduled[key] = new Scheduled(due, count);
        _checks.Enqueue(key, due);
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private readonly record struct Scheduled(long Due, int Contributors);
}
