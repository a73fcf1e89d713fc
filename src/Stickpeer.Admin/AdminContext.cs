// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Transport;
using Stickpeer.Admin.Tables;

namespace Stickpeer.Admin;

/// <summary>What CLI commands act on: the node (its lock, sections and peers) and its tables.</summary>
public sealed class AdminContext
{
    public AdminContext(StickpeerNode node, TableRegistry tables, TimeProvider time, string version)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(time);
        Node = node;
        Tables = tables;
        Time = time;
        Version = version;
        StartedAt = time.GetUtcNow();
    }

    public StickpeerNode Node { get; }

    public TableRegistry Tables { get; }

    public TimeProvider Time { get; }

    public string Version { get; }

    /// <summary>
    /// Which HAProxy the table commands answer like where 2.6 and 3.x differ: 3.x by default
    /// (<c>shard=</c> in <c>show table</c>), or 2.6 (see docs/operations.md, "CLI dialect").
    /// </summary>
    public CliDialect CliDialect { get; init; } = CliDialect.Haproxy3;

    /// <summary>
    /// When the node started (for <c>show peers</c> section dates). Read from <see cref="Time"/>, never
    /// from the system clock, so a fake clock fixes every date the CLI prints.
    /// </summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Runs <paramref name="action"/> under the node lock and lets the node push what changed.</summary>
    public T Invoke<T>(Func<T> action) => Node.Host.Invoke(action);

    /// <summary>
    /// Completes once every table change made so far is as durable as the node's persistence
    /// promises (with <c>fsync always</c>: synced to disk; otherwise handed to the kernel; without
    /// persistence, at once).
    /// A CLI answer is written only after this, so an acknowledged <c>set table</c> survives a crash.
    /// </summary>
    public ValueTask WaitDurableAsync(CancellationToken cancellationToken) =>
        Node.Persistence?.WaitDurableAsync(cancellationToken) ?? ValueTask.CompletedTask;
}
