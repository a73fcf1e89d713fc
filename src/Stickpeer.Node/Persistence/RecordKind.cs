// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Persistence;

/// <summary>The first byte of a record's payload.</summary>
internal enum RecordKind : byte
{
    /// <summary>Declares a table for the rest of the file: file-local id, local name, schema (a peers DEFINE).</summary>
    Table = 1,

    /// <summary>An entry's full content: table id, wall-clock times, key and values (a peers update message).</summary>
    Upsert = 2,

    /// <summary>An entry removed before its expiry: table id, key.</summary>
    Remove = 3,

    /// <summary>The end of a snapshot: the number of entries it holds.</summary>
    End = 4,
}
