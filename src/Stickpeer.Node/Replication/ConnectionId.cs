// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Replication;

/// <summary>Identifies one transport connection of a <see cref="PeerNode"/> (never reused within a node).</summary>
public readonly record struct ConnectionId(long Value)
{
    /// <inheritdoc />
    public override string ToString() => "c" + Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
