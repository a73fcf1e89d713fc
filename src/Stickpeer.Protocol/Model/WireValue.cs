// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Model;

/// <summary>
/// One value slot of an entry as it travels on the wire. Which fields are meaningful
/// depends on the slot's <see cref="DataEncoding"/>:
/// integers use <see cref="Number"/> (signed values sign-extended to 64 bits),
/// frequency counters use <see cref="AgeMs"/>/<see cref="Current"/>/<see cref="Previous"/>,
/// dictionary values use <see cref="Text"/> (null = no value).
/// </summary>
public struct WireValue
{
    /// <summary>Integer value (SINT sign-extended, UINT, ULL).</summary>
    public ulong Number { get; set; }

    /// <summary>Frequency counter: milliseconds since the current period started, on the sender's clock.</summary>
    public uint AgeMs { get; set; }

    /// <summary>Frequency counter: events in the current period.</summary>
    public uint Current { get; set; }

    /// <summary>Frequency counter: events in the previous period.</summary>
    public uint Previous { get; set; }

    /// <summary>Dictionary value (<c>server_key</c>); null when the entry has none.</summary>
    public string? Text { get; set; }
}
