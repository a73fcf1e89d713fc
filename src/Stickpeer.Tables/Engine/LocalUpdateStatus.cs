// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Tables.Engine;

/// <summary>Outcome of a local operation on a table (increment, set, touch).</summary>
public enum LocalUpdateStatus
{
    /// <summary>An existing entry was updated.</summary>
    Updated,

    /// <summary>A new entry was created (and updated).</summary>
    Created,

    /// <summary>The key is new and the table is full: <c>nopurge</c>, or every entry is in use.</summary>
    TableFull,

    /// <summary>The key does not fit the table's key type (wrong length).</summary>
    InvalidKey,

    /// <summary>A data type is not stored in this table.</summary>
    NotStored,

    /// <summary>An array index is out of range.</summary>
    IndexOutOfRange,

    /// <summary>The operation needs a numeric type (server_key is a string) or a string type.</summary>
    WrongValueKind,

    /// <summary>The key is not in the table (operations that do not create).</summary>
    NotFound,
}
