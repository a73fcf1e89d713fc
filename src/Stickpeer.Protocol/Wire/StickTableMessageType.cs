// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Wire;

/// <summary>Types of <see cref="MessageClass.StickTable"/> messages (all carry a length and payload).</summary>
public enum StickTableMessageType : byte
{
    /// <summary><c>0A 80</c>: entry update with an explicit update id.</summary>
    Update = 0x80,

    /// <summary><c>0A 81</c>: entry update whose id is the previous id + 1.</summary>
    IncrementalUpdate = 0x81,

    /// <summary><c>0A 82</c>: table definition.</summary>
    Define = 0x82,

    /// <summary><c>0A 83</c>: select a table previously defined by the sender.</summary>
    Switch = 0x83,

    /// <summary><c>0A 84</c>: cumulative acknowledgement of received updates.</summary>
    Ack = 0x84,

    /// <summary><c>0A 85</c>: entry update with an explicit id and a remaining lifetime (protocol 2.1).</summary>
    UpdateTimed = 0x85,

    /// <summary><c>0A 86</c>: entry update with an implicit id and a remaining lifetime (protocol 2.1).</summary>
    IncrementalUpdateTimed = 0x86,
}
