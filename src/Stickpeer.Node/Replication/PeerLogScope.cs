// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Collections;

namespace Stickpeer.Node.Replication;

/// <summary>
/// The logging scope of one connection's work (<c>Peer</c>, <c>Connection</c>). It is read when a
/// line is written, not when the scope opens. So the lines of an inbound connection carry the peer's
/// name from the moment its hello names it. One instance per connection; opening the scope
/// allocates only the logger factory's own scope record.
/// </summary>
internal sealed class PeerLogScope(NodeConnection connection) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("Peer", connection.Peer?.Name),
        1 => new("Connection", connection.Id.ToString()),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"peer {connection.Peer?.Name ?? "?"} {connection.Id}";
}
