// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Wire;

/// <summary>
/// The send-side <c>server_key</c> dictionary of one session: 128 slots filled round robin
/// as HAProxy does. A string already in a slot is sent as its id only; a new string takes
/// the next slot (evicting its previous occupant) and is sent with its text. Create one per
/// session; clear it when the session ends.
/// </summary>
public sealed class ServerKeyEncoderCache
{
    private readonly string?[] _slots = new string?[PeerProtocolLimits.DictionarySlots];
    private readonly Dictionary<string, int> _index = new(PeerProtocolLimits.DictionarySlots, StringComparer.Ordinal);
    private int _next;

    /// <summary>Number of strings currently cached.</summary>
    public int Count => _index.Count;

    /// <summary>Looks a string up; <paramref name="id"/> is its wire id (1..128).</summary>
    public bool TryGetId(string value, out int id)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_index.TryGetValue(value, out var slot))
        {
            id = slot + 1;
            return true;
        }

        id = 0;
        return false;
    }

    /// <summary>The wire id the next new string will get (1..128).</summary>
    public int NextId => _next + 1;

    /// <summary>Stores <paramref name="value"/> in the next slot (round robin) and returns its wire id.</summary>
    public int Add(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_index.TryGetValue(value, out var existing))
        {
            return existing + 1;
        }

        var slot = _next;
        if (_slots[slot] is { } old)
        {
            _index.Remove(old);
        }

        _slots[slot] = value;
        _index[value] = slot;
        _next = (slot + 1) % PeerProtocolLimits.DictionarySlots;
        return slot + 1;
    }

    /// <summary>Empties the cache and restarts at slot 1 (session end).</summary>
    public void Clear()
    {
        Array.Clear(_slots);
        _index.Clear();
        _next = 0;
    }
}
