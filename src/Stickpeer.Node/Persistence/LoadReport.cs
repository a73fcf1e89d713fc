// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Persistence;

/// <summary>What a start-up load found and did.</summary>
public sealed class LoadReport
{
    /// <summary>Local names of the configured tables the data directory held (even with no entry left).</summary>
    public HashSet<string> RestoredTables { get; } = new(StringComparer.Ordinal);

    /// <summary>True when a snapshot was read.</summary>
    public bool HadSnapshot { get; internal set; }

    /// <summary>The generation the snapshot says the logs continue from (0 without a snapshot).</summary>
    public ulong SnapshotNextGeneration { get; internal set; }

    /// <summary>Log files replayed.</summary>
    public int LogFiles { get; internal set; }

    /// <summary>Highest log generation present (0 = none).</summary>
    public ulong LastGeneration { get; internal set; }

    /// <summary>Records read (all kinds).</summary>
    public long Records { get; internal set; }

    /// <summary>Records whose stored expiry had passed at load (their keys are not restored).</summary>
    public long ExpiredWhileDown { get; internal set; }

    /// <summary>A torn last record to cut off: the file and where its valid part ends (null when none).</summary>
    public (string Path, long ValidEnd, long Offset, string Problem)? TornTail { get; internal set; }

    /// <summary>Logs older than the snapshot (left by a crash between writing a snapshot and removing them).</summary>
    public List<string> Leftovers { get; } = [];
}
