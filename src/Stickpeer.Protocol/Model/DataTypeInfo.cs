// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Model;

/// <summary>Static facts about one data type: its config name, encoding and history.</summary>
/// <param name="Type">The data type (its id).</param>
/// <param name="Name">The name used in <c>store</c> lines and in <c>show table</c> output.</param>
/// <param name="Encoding">How each value is stored and encoded.</param>
/// <param name="IsArray">True for <c>gpt</c>, <c>gpc</c> and <c>gpc_rate</c>, which take an element count.</param>
/// <param name="IsLocalOnly">True for <c>conn_cur</c>: sent on the wire but ignored by receivers.</param>
/// <param name="IsAsIs">True for types a <c>write-to</c> table copies (server_id, gpt0, server_key, gpt).</param>
/// <param name="Since">The first HAProxy version that knows this data type.</param>
public sealed record DataTypeInfo(
    StickDataType Type,
    string Name,
    DataEncoding Encoding,
    bool IsArray,
    bool IsLocalOnly,
    bool IsAsIs,
    string Since)
{
    /// <summary>True when the type is a frequency counter and so takes a period.</summary>
    public bool HasPeriod => Encoding == DataEncoding.FrequencyCounter;

    /// <summary>The bit of this type in a DEFINE data-type bitmask.</summary>
    public ulong Bit => 1UL << (int)Type;
}
