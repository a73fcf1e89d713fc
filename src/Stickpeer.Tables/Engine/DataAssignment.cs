// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Tables.Engine;

/// <summary>
/// One value to store with <c>set table</c> semantics: integers are truncated to the type's
/// width (32-bit unsigned/signed or 64-bit); a rate becomes current = value, previous = 0,
/// period starting now; <see cref="Text"/> is used for server_key.
/// </summary>
/// <param name="Type">The data type.</param>
/// <param name="Index">The array index (0 for plain types).</param>
/// <param name="Value">The numeric value.</param>
/// <param name="Text">The string value for server_key (null = none).</param>
public readonly record struct DataAssignment(StickDataType Type, int Index, long Value, string? Text = null);
