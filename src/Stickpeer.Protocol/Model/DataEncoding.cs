// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Model;

/// <summary>How one value of a data type is stored and encoded (HAProxy's "std type").</summary>
public enum DataEncoding : byte
{
    /// <summary>Signed 32-bit, sign-extended to 64 bits before varint encoding.</summary>
    SignedInt,
    /// <summary>Unsigned 32-bit, varint.</summary>
    UnsignedInt,
    /// <summary>Unsigned 64-bit, varint.</summary>
    UnsignedLong,
    /// <summary>Frequency counter: varint age (ms), varint current count, varint previous count.</summary>
    FrequencyCounter,
    /// <summary>A string through the per-session, per-direction dictionary cache.</summary>
    Dictionary,
}
