// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Model;

/// <summary>
/// Helpers for the canonical key bytes shared by the codec and the table engine.
/// Canonical form (what an update carries once its length prefix is removed, and what a
/// table indexes): integer = 4 bytes big-endian; IPv4 = 4 bytes and IPv6 = 16 bytes in
/// network order; string = the characters without NUL, at most key size − 1 bytes;
/// binary = exactly key-size bytes, zero padded.
/// </summary>
public static class StickKey
{
    /// <summary>Key size HAProxy announces for a key type and optional <c>len</c>.</summary>
    /// <param name="type">The key type.</param>
    /// <param name="len">The configured <c>len</c>, or null when absent.</param>
    public static int KeySizeFor(StickKeyType type, int? len) => type switch
    {
        StickKeyType.Integer => 4,
        StickKeyType.IPv4 => 4,
        StickKeyType.IPv6 => 16,
        // HAProxy stores strings NUL-terminated: "len 32" holds 32 characters in 33 bytes,
        // while a string table without len is 32 bytes (31 characters).
        StickKeyType.String => len is { } l ? l + 1 : 32,
        StickKeyType.Binary => len ?? 32,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown key type"),
    };

    /// <summary>Longest canonical key for a key type and key size.</summary>
    public static int MaxKeyLength(StickKeyType type, int keySize) =>
        type == StickKeyType.String ? keySize - 1 : keySize;
}
