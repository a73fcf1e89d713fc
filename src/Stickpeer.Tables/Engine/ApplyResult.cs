// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Tables.Engine;

/// <summary>Outcome of <see cref="StickTable.ApplyRemote(Stickpeer.Protocol.Model.DecodedUpdate, ApplyOptions)"/>.</summary>
public enum ApplyResult
{
    /// <summary>The values were written to an existing entry.</summary>
    Applied,

    /// <summary>A new entry was created with the values.</summary>
    Created,

    /// <summary>
    /// Not applied: the entry changed locally after <see cref="ApplyOptions.PreserveLocalChangesAfter"/>
    /// (a lesson must not overwrite a newer local write, which stays in the push window).
    /// </summary>
    IgnoredLocalNewer,

    /// <summary>Refused: the table is full and has <c>nopurge</c> (HAProxy drops such updates even for existing keys, yet acknowledges them).</summary>
    RefusedTableFull,

    /// <summary>Refused: the sender's key type or key size differs from this table's.</summary>
    KeyTypeMismatch,

    /// <summary>Refused: the key length does not fit the key type.</summary>
    InvalidKey,
}
