// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Aggregation;
using Stickpeer.Node.Persistence;
using Stickpeer.Node.Transport;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Node.Composition;

/// <summary>A node built by <see cref="NodeBuilder"/> and its engine tables, in configuration order.</summary>
/// <param name="Node">The node (not started).</param>
/// <param name="Tables">Every table of the configuration; call into them under <see cref="NodeHost.Invoke{T}"/>.</param>
public sealed record BuiltNode(StickpeerNode Node, IReadOnlyList<StickTable> Tables)
{
    /// <summary>The data directory in use (null without persistence); the node disposes it.</summary>
    public NodePersistence? Persistence { get; init; }

    /// <summary>The aggregation rules (<c>#@stickpeer aggregate</c>; empty when there are none).</summary>
    public AggregationSet? Aggregation { get; init; }
}
