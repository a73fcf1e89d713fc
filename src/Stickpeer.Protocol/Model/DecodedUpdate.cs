// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Model;

/// <summary>
/// One decoded UPDATE/INCUPDATE/UPDATE_TIMED/INCUPDATE_TIMED message, in a buffer that a
/// session reuses for every update of one table (no allocation per message). The values
/// are laid out in the <em>sender's</em> schema (its bitmask and array sizes); the table
/// engine maps them onto its own schema by data type.
/// </summary>
public sealed class DecodedUpdate
{
    private readonly byte[] _key;

    /// <summary>Creates a buffer for updates sent with <paramref name="senderSchema"/>.</summary>
    public DecodedUpdate(TableSchema senderSchema)
    {
        ArgumentNullException.ThrowIfNull(senderSchema);
        _key = new byte[Math.Max(senderSchema.KeySize, 4)];
        Values = new EntryValues(senderSchema);
    }

    /// <summary>The sender's update id (explicit, or previous + 1 for implicit forms).</summary>
    public uint UpdateId { get; set; }

    /// <summary>True for the timed forms (0x85/0x86), which carry <see cref="ExpireMs"/>.</summary>
    public bool HasExpire { get; set; }

    /// <summary>Remaining lifetime on the sender, in milliseconds (timed forms only).</summary>
    public uint ExpireMs { get; set; }

    /// <summary>Number of valid bytes in the key buffer.</summary>
    public int KeyLength { get; private set; }

    /// <summary>The canonical key bytes (see <see cref="StickKey"/>).</summary>
    public ReadOnlySpan<byte> Key => _key.AsSpan(0, KeyLength);

    /// <summary>The decoded values in the sender's schema order.</summary>
    public EntryValues Values { get; }

    /// <summary>Copies canonical key bytes in (truncated to the buffer, as HAProxy truncates long string keys).</summary>
    public void SetKey(ReadOnlySpan<byte> key)
    {
        var n = Math.Min(key.Length, _key.Length);
        key[..n].CopyTo(_key);
        KeyLength = n;
    }
}
