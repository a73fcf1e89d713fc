// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Node.Persistence;

/// <summary>
/// Encodes records (framing + payload) into a buffer. Key and values are stored as a peers
/// update message (0x81, our schema) and a table's schema as a peers DEFINE, so the file format
/// reuses the codec that every byte of replication already goes through. Not thread-safe: its
/// owner serialises calls (the change log under its lock, the snapshot writer on its own).
/// </summary>
internal sealed class RecordEncoder
{
    private readonly ArrayBufferWriter<byte> _scratch = new(256);

    // A fresh dictionary per record: every record stands alone (no server_key id refers to another record).
    private readonly ServerKeyEncoderCache _keys = new();

    /// <summary>Writes a table declaration: file-local <paramref name="tableId"/>, local name, schema.</summary>
    public void WriteTable(IBufferWriter<byte> destination, int tableId, string localName, TableSchema schema)
    {
        _scratch.ResetWrittenCount();
        Varint((ulong)tableId);
        var name = Encoding.UTF8.GetBytes(localName);
        Varint((ulong)name.Length);
        _scratch.Write(name);
        PeerMessageWriter.WriteDefine(_scratch, tableId, schema);
        Seal(destination, RecordKind.Table);
    }

    /// <summary>Writes an entry's content. Times are Unix milliseconds; <paramref name="expireAtMs"/> 0 = never.</summary>
    public void WriteUpsert(IBufferWriter<byte> destination, int tableId, long atMs, long expireAtMs, ReadOnlySpan<byte> key, EntryValues values)
    {
        _scratch.ResetWrittenCount();
        Varint((ulong)tableId);
        var span = _scratch.GetSpan(16);
        BinaryPrimitives.WriteInt64LittleEndian(span, atMs);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], expireAtMs);
        _scratch.Advance(16);
        if (_keys.Count > 0)
        {
            _keys.Clear();
        }

        PeerMessageWriter.WriteUpdate(_scratch, timed: false, explicitUpdateId: null, 0, key, values, _keys);
        Seal(destination, RecordKind.Upsert);
    }

    /// <summary>Writes a removal of <paramref name="key"/>.</summary>
    public void WriteRemove(IBufferWriter<byte> destination, int tableId, ReadOnlySpan<byte> key)
    {
        _scratch.ResetWrittenCount();
        Varint((ulong)tableId);
        Varint((ulong)key.Length);
        _scratch.Write(key);
        Seal(destination, RecordKind.Remove);
    }

    /// <summary>Writes the end of a snapshot holding <paramref name="entries"/> entries.</summary>
    public void WriteEnd(IBufferWriter<byte> destination, long entries)
    {
        _scratch.ResetWrittenCount();
        Varint((ulong)entries);
        Seal(destination, RecordKind.End);
    }

    private void Varint(ulong value)
    {
        var n = PeerVarint.Write(_scratch.GetSpan(10), value);
        _scratch.Advance(n);
    }

    private void Seal(IBufferWriter<byte> destination, RecordKind kind)
    {
        var payload = _scratch.WrittenSpan;
        var total = PersistenceFormat.RecordHeaderSize + 1 + payload.Length;
        var record = destination.GetSpan(total)[..total];
        record[PersistenceFormat.RecordHeaderSize] = (byte)kind;
        payload.CopyTo(record[(PersistenceFormat.RecordHeaderSize + 1)..]);
        PersistenceFormat.SealRecord(record);
        destination.Advance(total);
    }
}
