// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Replication;

/// <summary>
/// Names one established session without referencing it: the remote peer and the session's
/// generation (node-wide, strictly increasing). Anything tagged with a generation that is no
/// longer the peer's live one belongs to an ended session and is ignored.
/// </summary>
/// <param name="Peer">The remote peer name.</param>
/// <param name="Generation">The session generation (≥ 1).</param>
public readonly record struct SessionRef(string Peer, long Generation)
{
    /// <inheritdoc />
    public override string ToString() => Peer + "#" + Generation.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
