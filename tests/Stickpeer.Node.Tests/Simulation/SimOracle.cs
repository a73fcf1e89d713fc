// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// Remembers every write (who, when, the writer's resulting replicated values) and judges
/// the final state of every node. A node is held to the <em>exact</em> last written value
/// of a key unless a legal HAProxy behaviour may have replaced it: the writer or that node
/// crashed after the write (unpushed changes die with a process; a restarted node relearns
/// from one teacher), or that node — or the writer, before pushing — applied lesson
/// (full-resync) data after the write (a teacher may teach an older value, and the protocol
/// carries no versions). Then the node may hold any value that was ever written to the key,
/// or nothing.
/// </summary>
internal sealed class SimOracle
{
    private readonly Dictionary<string, (int Writer, long AtMs, string Value)> _last = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _all = new(StringComparer.Ordinal);

    public int Writes { get; private set; }

    public int StrictChecks { get; private set; }

    public int WeakChecks { get; private set; }

    public void Record(string keyId, int writer, long atMs, string value)
    {
        Writes++;
        _last[keyId] = (writer, atMs, value);
        if (!_all.TryGetValue(keyId, out var set))
        {
            _all[keyId] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        set.Add(value);
    }

    /// <summary>Checks the final snapshots of all nodes.</summary>
    /// <param name="snapshots">Per node, its entries (null for a node that is down).</param>
    /// <param name="lastCrashMs">Per node, the last instant it crashed (-1 if never).</param>
    /// <param name="lastLessonMs">Per node, the last instant it consumed lesson data (-1 if never).</param>
    /// <param name="exact">False when keys have concurrent writers: only the weak check applies.</param>
    /// <param name="violation">Receives each violation.</param>
    public void Check(IReadOnlyList<IReadOnlyDictionary<string, string>?> snapshots, IReadOnlyList<long> lastCrashMs, IReadOnlyList<long> lastLessonMs, bool exact, Action<string> violation)
    {
        for (var n = 0; n < snapshots.Count; n++)
        {
            var snap = snapshots[n];
            if (snap is null)
            {
                continue;
            }

            foreach (var key in snap.Keys)
            {
                if (!_all.ContainsKey(key))
                {
                    violation($"node {n} holds {key} = {snap[key]}, a key nobody wrote");
                }
            }

            foreach (var (key, last) in _last)
            {
                snap.TryGetValue(key, out var actual);
                var strict = exact && lastCrashMs[last.Writer] < last.AtMs && lastLessonMs[last.Writer] < last.AtMs && lastCrashMs[n] < last.AtMs && lastLessonMs[n] < last.AtMs;
                if (strict)
                {
                    StrictChecks++;
                    if (actual != last.Value)
                    {
                        violation($"node {n}: {key} = {actual ?? "<absent>"}, expected {last.Value} (last written by node {last.Writer} at {last.AtMs} ms)");
                    }
                }
                else
                {
                    WeakChecks++;
                    if (actual is not null && !_all[key].Contains(actual))
                    {
                        violation($"node {n}: {key} = {actual}, a value never written to that key");
                    }
                }
            }
        }
    }
}
