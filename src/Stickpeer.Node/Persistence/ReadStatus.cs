// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Persistence;

/// <summary>What <see cref="DataFileReader.ReadNext"/> found.</summary>
public enum ReadStatus
{
    /// <summary>A whole record with a matching checksum.</summary>
    Record,

    /// <summary>The clean end of the file.</summary>
    EndOfFile,

    /// <summary>
    /// A last record that was not completely written (short framing, a length that runs past the
    /// end, a checksum mismatch on the very last record, or a zero-filled tail): a crash during
    /// the write. Everything before it is valid.
    /// </summary>
    TornTail,

    /// <summary>Damage that a crash during an append cannot explain (a bad record followed by more data).</summary>
    Corrupt,
}
