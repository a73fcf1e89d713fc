// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers.Binary;
using System.IO.Hashing;

namespace Stickpeer.Node.Persistence;

/// <summary>
/// The on-disk layout shared by logs and snapshots (docs/persistence.md, "File format").
/// A file starts with a 32-byte header: 8-byte magic, format version (u32 LE), flags (u32 LE,
/// 0), generation (u64 LE: a log's own number, or the first log a snapshot needs), 4 reserved
/// bytes and the CRC-32 of the 28 bytes before it. Records follow: CRC-32 (u32 LE) of the rest
/// of the record, payload length (u32 LE), payload.
/// </summary>
public static class PersistenceFormat
{
    /// <summary>The format version this build writes; files with a higher version are refused.</summary>
    public const uint Version = 1;

    /// <summary>Size of a file header.</summary>
    public const int HeaderSize = 32;

    /// <summary>Size of a record's framing (length + CRC).</summary>
    public const int RecordHeaderSize = 8;

    /// <summary>Largest payload accepted (a record holds one entry: far below this).</summary>
    public const int MaxPayload = 1 << 20;

    private static ReadOnlySpan<byte> LogMagic => "STKPLOG\n"u8;

    private static ReadOnlySpan<byte> SnapshotMagic => "STKPSNP\n"u8;

    /// <summary>Writes a header for <paramref name="kind"/> into <paramref name="destination"/> (≥ <see cref="HeaderSize"/> bytes).</summary>
    public static void WriteHeader(Span<byte> destination, FileKind kind, ulong generation)
    {
        var h = destination[..HeaderSize];
        h.Clear();
        (kind == FileKind.Log ? LogMagic : SnapshotMagic).CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], Version);
        BinaryPrimitives.WriteUInt64LittleEndian(h[16..], generation);
        BinaryPrimitives.WriteUInt32LittleEndian(h[28..], Crc32.HashToUInt32(h[..28]));
    }

    /// <summary>Checks a header; on success returns its generation. Errors are sentences for the operator.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> source, FileKind kind, out ulong generation, out string? error)
    {
        generation = 0;
        if (source.Length < HeaderSize)
        {
            error = $"header truncated ({source.Length} of {HeaderSize} bytes)";
            return false;
        }

        var h = source[..HeaderSize];
        var magic = kind == FileKind.Log ? LogMagic : SnapshotMagic;
        if (!h[..8].SequenceEqual(magic))
        {
            error = $"not a Stickpeer {(kind == FileKind.Log ? "log" : "snapshot")} file (bad magic)";
            return false;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(h[28..]) != Crc32.HashToUInt32(h[..28]))
        {
            error = "header checksum mismatch";
            return false;
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(h[8..]);
        if (version > Version)
        {
            error = $"written by a newer Stickpeer (format version {version}; this build reads up to {Version})";
            return false;
        }

        if (version == 0)
        {
            error = "format version 0 is not valid";
            return false;
        }

        generation = BinaryPrimitives.ReadUInt64LittleEndian(h[16..]);
        error = null;
        return true;
    }

    /// <summary>Writes the framing of a record whose payload is already in place after it.</summary>
    /// <param name="record">The record: <see cref="RecordHeaderSize"/> bytes of framing, then the payload.</param>
    public static void SealRecord(Span<byte> record)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(record.Length - RecordHeaderSize));
        BinaryPrimitives.WriteUInt32LittleEndian(record, Crc32.HashToUInt32(record[4..]));
    }

    /// <summary>True when a whole record (framing + payload) carries its own checksum.</summary>
    public static bool ChecksumMatches(ReadOnlySpan<byte> record) =>
        BinaryPrimitives.ReadUInt32LittleEndian(record) == Crc32.HashToUInt32(record[4..]);
}
