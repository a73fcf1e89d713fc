// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers.Binary;

namespace Stickpeer.Node.Persistence;

/// <summary>
/// Reads a log or snapshot record by record and tells a torn last record (a crash while
/// appending) from corruption. The file is read through a 1 MiB buffer; record payloads are
/// handed out in a reused buffer, valid until the next call.
/// </summary>
public sealed class DataFileReader : IDisposable
{
    private const int BufferSize = 1 << 20;

    private readonly FileStream _stream;
    private byte[] _record = new byte[4096];

    private DataFileReader(FileStream stream, string path, FileKind kind)
    {
        _stream = stream;
        Path = path;
        Kind = kind;
        Length = stream.Length;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>What the file should be.</summary>
    public FileKind Kind { get; }

    /// <summary>The file's length when opened.</summary>
    public long Length { get; }

    /// <summary>The generation in the header (valid after a successful <see cref="Open"/>).</summary>
    public ulong Generation { get; private set; }

    /// <summary>Where the last record returned (or the problem found) starts.</summary>
    public long Offset { get; private set; }

    /// <summary>One past the last valid record: where a torn tail begins.</summary>
    public long ValidEnd { get; private set; }

    /// <summary>Why the last read was <see cref="ReadStatus.Corrupt"/> or <see cref="ReadStatus.TornTail"/>.</summary>
    public string? Problem { get; private set; }

    /// <summary>
    /// Opens a file and checks its header. A header that is only partly there (shorter than a
    /// header, or all zero) gives <paramref name="status"/> <see cref="ReadStatus.TornTail"/> at offset 0;
    /// a bad magic, checksum or newer version gives <see cref="ReadStatus.Corrupt"/> with <paramref name="error"/>.
    /// </summary>
    public static DataFileReader Open(string path, FileKind kind, out ReadStatus status, out string? error)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        var reader = new DataFileReader(stream, path, kind);
        Span<byte> header = stackalloc byte[PersistenceFormat.HeaderSize];
        var n = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (n < header.Length || !header.ContainsAnyExcept((byte)0))
        {
            status = ReadStatus.TornTail;
            error = n < header.Length ? $"header truncated ({n} of {header.Length} bytes)" : "header not written (zeros)";
            reader.Problem = error;
            return reader;
        }

        if (!PersistenceFormat.TryReadHeader(header, kind, out var generation, out error))
        {
            status = ReadStatus.Corrupt;
            reader.Problem = error;
            return reader;
        }

        reader.Generation = generation;
        reader.Offset = reader.ValidEnd = PersistenceFormat.HeaderSize;
        status = ReadStatus.Record;
        return reader;
    }

    /// <summary>Reads the next record; <paramref name="payload"/> is valid until the next call.</summary>
    public ReadStatus ReadNext(out ReadOnlySpan<byte> payload)
    {
        payload = default;
        Offset = ValidEnd;
        var left = Length - Offset;
        if (left == 0)
        {
            return ReadStatus.EndOfFile;
        }

        if (left < PersistenceFormat.RecordHeaderSize)
        {
            return Torn($"{left} bytes at the end, less than a record header");
        }

        var head = _record.AsSpan(0, PersistenceFormat.RecordHeaderSize);
        _stream.ReadExactly(head);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(head[4..]);
        if (length == 0 || length > PersistenceFormat.MaxPayload)
        {
            return TailIsZeros(head) ? Torn("zero-filled tail") : Bad($"invalid record length {length}");
        }

        var total = PersistenceFormat.RecordHeaderSize + (int)length;
        if (total > left)
        {
            return Torn($"record of {total} bytes runs past the end ({left} bytes left)");
        }

        if (_record.Length < total)
        {
            var bigger = new byte[Math.Max(total, _record.Length * 2)];
            head.CopyTo(bigger);
            _record = bigger;
        }

        var record = _record.AsSpan(0, total);
        _stream.ReadExactly(record[PersistenceFormat.RecordHeaderSize..]);
        if (!PersistenceFormat.ChecksumMatches(record))
        {
            return total == left ? Torn("checksum mismatch on the last record") : Bad("checksum mismatch");
        }

        ValidEnd = Offset + total;
        payload = record[PersistenceFormat.RecordHeaderSize..];
        return ReadStatus.Record;
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();

    private ReadStatus Torn(string problem)
    {
        Problem = problem;
        return ReadStatus.TornTail;
    }

    private ReadStatus Bad(string problem)
    {
        Problem = problem;
        return ReadStatus.Corrupt;
    }

    // A crash can leave a tail of zeros (space allocated, data never written): torn, not corrupt.
    private bool TailIsZeros(ReadOnlySpan<byte> head)
    {
        if (head.ContainsAnyExcept((byte)0))
        {
            return false;
        }

        var buffer = new byte[64 * 1024];
        int n;
        while ((n = _stream.Read(buffer)) > 0)
        {
            if (buffer.AsSpan(0, n).ContainsAnyExcept((byte)0))
            {
                return false;
            }
        }

        return true;
    }
}
