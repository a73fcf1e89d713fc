// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Wire;

/// <summary>
/// Why a well-formed DEFINE cannot be used (HAProxy then silently ignores the table: no
/// error, following updates are dropped and not acknowledged).
/// </summary>
public enum DefineIgnoreReason
{
    /// <summary>The definition is usable.</summary>
    None = 0,

    /// <summary>Table id 0 (HAProxy's "no id").</summary>
    ZeroTableId,

    /// <summary>The key type code is not integer (2), ip (4), ipv6 (5), string (6) or binary (7).</summary>
    UnknownKeyType,

    /// <summary>The key size does not suit the key type (ip/integer ≠ 4, ipv6 ≠ 16, 0, or over <see cref="PeerProtocolLimits.MaxKeySize"/>).</summary>
    InvalidKeySize,

    /// <summary>No expire field (pre-1.8 sender) while the bitmask contains an array type.</summary>
    MissingArrayParameters,

    /// <summary>A parameter block is missing or truncated.</summary>
    MissingParameters,

    /// <summary>A parameter block's type id does not match the next data type of the bitmask.</summary>
    ParameterTypeMismatch,

    /// <summary>An array element count is 0 or larger than 100.</summary>
    InvalidArrayLength,
}
