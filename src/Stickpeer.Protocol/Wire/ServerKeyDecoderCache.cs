// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Errors;

namespace Stickpeer.Protocol.Wire;

/// <summary>
/// The receive-side <c>server_key</c> dictionary of one session: 128 slots addressed by wire
/// ids 1..128. Create one per session and clear it (or drop it) when the session ends.
/// </summary>
public sealed class ServerKeyDecoderCache
{
    private readonly string?[] _values = new string?[PeerProtocolLimits.DictionarySlots];
    private readonly byte[]?[] _bytes = new byte[]?[PeerProtocolLimits.DictionarySlots];

    /// <summary>The string in slot <paramref name="id"/> (1..128), or null when the slot is empty.</summary>
    /// <exception cref="PeerProtocolException">The id is outside 1..128 (<see cref="ProtocolError.InvalidDictionaryId"/>).</exception>
    public string? Get(ulong id) => _values[ToSlot(id)];

    /// <summary>
    /// Stores the value <paramref name="utf8"/> in slot <paramref name="id"/> and returns it as text
    /// (see <see cref="DictionaryText"/>: bytes that are not valid UTF-8 are kept, not replaced).
    /// </summary>
    /// <remarks>Re-storing the bytes a slot already holds returns the cached string without allocating.</remarks>
    /// <exception cref="PeerProtocolException">The id is outside 1..128.</exception>
    public string Set(ulong id, ReadOnlySpan<byte> utf8)
    {
        var slot = ToSlot(id);
        if (_values[slot] is { } existing && utf8.SequenceEqual(_bytes[slot]))
        {
            return existing;
        }

        var text = DictionaryText.Decode(utf8);
        _bytes[slot] = utf8.ToArray();
        _values[slot] = text;
        return text;
    }

    /// <summary>Empties every slot (session end).</summary>
    public void Clear()
    {
        Array.Clear(_values);
        Array.Clear(_bytes);
    }

    private static int ToSlot(ulong id)
    {
        if (id - 1 >= PeerProtocolLimits.DictionarySlots)
        {
            ThrowHelper.ThrowInvalidDictionaryId(id);
        }

        return (int)(id - 1);
    }
}
