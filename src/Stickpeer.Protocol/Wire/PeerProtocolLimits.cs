// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Wire;

/// <summary>Size limits of the peers protocol.</summary>
public static class PeerProtocolLimits
{
    /// <summary>Default largest accepted message payload (HAProxy's default <c>tune.bufsize</c>).</summary>
    public const int DefaultMaxPayload = 16384;

    /// <summary>Default largest handshake line, including its <c>\n</c>.</summary>
    public const int DefaultMaxHandshakeLine = 16384;

    /// <summary>Most bytes a varint can take (a 64-bit value).</summary>
    public const int MaxVarintLength = 10;

    /// <summary>Most bytes the length varint of a frame may take.</summary>
    public const int MaxFrameLengthVarint = 5;

    /// <summary>Longest frame header: class, type and a 5-byte length.</summary>
    public const int MaxFrameHeader = 2 + MaxFrameLengthVarint;

    /// <summary>Number of slots of a <c>server_key</c> dictionary cache (ids 1..128 on the wire).</summary>
    public const int DictionarySlots = 128;

    /// <summary>
    /// Largest key size a DEFINE may announce and still be used; larger definitions are
    /// ignored (a key can never be larger than a message).
    /// </summary>
    public const int MaxKeySize = DefaultMaxPayload;

    /// <summary>Default number of distinct table ids a peer may define in one session.</summary>
    public const int DefaultMaxTablesPerSession = 4096;

    /// <summary>
    /// Default sustained rate of updates one session may send us (200 000 a second). Far above what
    /// a peer's pushes reach in practice (HAProxy coalesces rewrites of a key into one update per
    /// pass); the limit is there so a trusted but broken or hostile peer cannot keep a node busy
    /// for ever, and is set in the settings file (<c>max-updates-per-second</c>).
    /// </summary>
    public const int DefaultMaxUpdatesPerSecond = 200_000;

    /// <summary>
    /// Default number of updates a session may send at once above the sustained rate (1 000 000):
    /// the re-push of a whole table that follows a lesson or a reconnection fits in it.
    /// </summary>
    public const int DefaultUpdateBurst = 1_000_000;
}
