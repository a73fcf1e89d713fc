// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Logging;
using Stickpeer.Protocol.Errors;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Node.Persistence;

/// <summary>
/// Reads a data directory into tables: the snapshot, then every log from the generation it names,
/// record by record. Entries are applied like a lesson from a peer (learned, not pushed), with the
/// remaining lifetime computed from the stored absolute expiry and rate ages grown by the time
/// the node was down. Only a torn last record of the last log is tolerated; any other damage,
/// or a file of a newer format, throws <see cref="PersistenceException"/> naming file and offset
/// before anything is written.
/// </summary>
internal sealed class PersistenceLoader
{
    private readonly IReadOnlyDictionary<string, StickTable> _tables;
    private readonly ILogger _logger;
    private readonly long _nowMs;
    private readonly LoadReport _report = new();
    private readonly Dictionary<string, long> _unknown = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _refused = new(StringComparer.Ordinal);
    private readonly ServerKeyDecoderCache _rxKeys = new();
    private Dictionary<int, FileTable> _fileTables = [];

    public PersistenceLoader(IReadOnlyDictionary<string, StickTable> tables, TimeProvider time, ILogger logger)
    {
        _tables = tables;
        _logger = logger;
        _nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
    }

    public LoadReport Load(string directory)
    {
        var snapshotPath = Path.Combine(directory, DataDirectory.SnapshotName);
        ulong first = 0;
        if (File.Exists(snapshotPath))
        {
            first = ReadSnapshot(snapshotPath);
            _report.HadSnapshot = true;
            _report.SnapshotNextGeneration = first;
        }

        var logs = DataDirectory.ListLogs(directory);
        var replay = new List<(ulong Generation, string Path)>();
        foreach (var log in logs)
        {
            if (_report.HadSnapshot && log.Generation < first)
            {
                _report.Leftovers.Add(log.Path);
            }
            else
            {
                replay.Add(log);
            }
        }

        for (var i = 0; i < replay.Count; i++)
        {
            ReadLog(replay[i].Path, replay[i].Generation, last: i == replay.Count - 1);
        }

        _report.LogFiles = replay.Count;
        _report.LastGeneration = logs.Count > 0 ? logs[^1].Generation : 0;
        foreach (var (name, n) in _unknown)
        {
            PersistenceLog.UnknownTable(_logger, name, n);
        }

        foreach (var (name, n) in _refused)
        {
            PersistenceLog.Refused(_logger, name, n, "table full (nopurge) or key does not fit");
        }

        return _report;
    }

    private ulong ReadSnapshot(string path)
    {
        using var reader = DataFileReader.Open(path, FileKind.Snapshot, out var status, out var error);
        if (status != ReadStatus.Record)
        {
            throw Damaged(path, 0, error ?? "unreadable header");
        }

        _fileTables = [];
        while (true)
        {
            status = reader.ReadNext(out var payload);
            if (status == ReadStatus.Record)
            {
                if (Apply(path, reader.Offset, payload, snapshot: true))
                {
                    return reader.Generation; // the end record: the snapshot is complete
                }

                continue;
            }

            // A snapshot is renamed into place only once complete and synced: any defect is damage.
            throw Damaged(path, reader.Offset, status == ReadStatus.EndOfFile ? "snapshot ends without its end record" : reader.Problem!);
        }
    }

    private void ReadLog(string path, ulong generation, bool last)
    {
        using var reader = DataFileReader.Open(path, FileKind.Log, out var status, out var error);
        if (status == ReadStatus.TornTail && last)
        {
            // Crashed while creating the file: nothing in it was ever acknowledged.
            _report.TornTail = (path, 0, 0, error!);
            return;
        }

        if (status != ReadStatus.Record)
        {
            throw Damaged(path, 0, error ?? "unreadable header");
        }

        if (reader.Generation != generation)
        {
            throw Damaged(path, 0, $"header says generation {reader.Generation}, the name says {generation}");
        }

        _fileTables = [];
        while (true)
        {
            status = reader.ReadNext(out var payload);
            switch (status)
            {
                case ReadStatus.Record:
                    if (Apply(path, reader.Offset, payload, snapshot: false))
                    {
                        throw Damaged(path, reader.Offset, "end record in a log");
                    }

                    continue;
                case ReadStatus.EndOfFile:
                    return;
                case ReadStatus.TornTail when last:
                    _report.TornTail = (path, reader.ValidEnd, reader.Offset, reader.Problem!);
                    return;
                default:
                    throw Damaged(path, reader.Offset, reader.Problem + (last ? string.Empty : " (in a log that is not the newest: not a torn write)"));
            }
        }
    }

    // Returns true for the end record.
    private bool Apply(string path, long offset, ReadOnlySpan<byte> payload, bool snapshot)
    {
        _report.Records++;
        try
        {
            var kind = (RecordKind)payload[0];
            var r = new PayloadCursor(payload[1..]);
            switch (kind)
            {
                case RecordKind.Table:
                    DeclareTable(ref r);
                    return false;
                case RecordKind.Upsert:
                    Upsert(ref r, TableOf(r.ReadVarint()));
                    return false;
                case RecordKind.Remove:
                    {
                        var table = TableOf(r.ReadVarint());
                        var key = r.ReadBytes(r.ReadLength());
                        table.Table?.Remove(key);
                        return false;
                    }

                case RecordKind.End when snapshot:
                    return true;
                default:
                    throw new InvalidDataException($"unknown record kind {payload[0]}");
            }
        }
        catch (Exception ex) when (ex is PeerProtocolException or InvalidDataException or ArgumentException)
        {
            throw Damaged(path, offset, "unreadable record: " + ex.Message);
        }
    }

    private void DeclareTable(ref PayloadCursor r)
    {
        var id = (int)r.ReadVarint();
        var name = Encoding.UTF8.GetString(r.ReadBytes(r.ReadLength()));
        var define = DefineMessage.Parse(MessagePayload(ref r, StickTableMessageType.Define));
        var schema = define.Schema ?? throw new InvalidDataException($"table '{name}': schema not readable ({define.IgnoreReason})");
        _tables.TryGetValue(name, out var table);
        if (table is not null && (table.KeyType != schema.KeyType || table.Schema.KeySize != schema.KeySize))
        {
            PersistenceLog.Refused(_logger, name, 0, $"stored key type {schema.KeyType}/{schema.KeySize}, configured {table.KeyType}/{table.Schema.KeySize}: stored entries skipped");
            table = null;
        }

        if (table is not null)
        {
            _report.RestoredTables.Add(name);
        }

        _fileTables[id] = new FileTable(name, table, new DecodedUpdate(schema));
    }

    private FileTable TableOf(ulong id) =>
        _fileTables.TryGetValue((int)Math.Min(id, int.MaxValue), out var t) ? t : throw new InvalidDataException($"record for undeclared table {id}");

    private void Upsert(ref PayloadCursor r, FileTable target)
    {
        var times = r.ReadBytes(16);
        var atMs = BinaryPrimitives.ReadInt64LittleEndian(times);
        var expireAtMs = BinaryPrimitives.ReadInt64LittleEndian(times[8..]);
        var update = target.Update;
        _rxKeys.Clear();
        UpdateMessageReader.Read(MessagePayload(ref r, StickTableMessageType.IncrementalUpdate), StickTableMessageType.IncrementalUpdate, 0, _rxKeys, update);
        if (target.Table is not { } table)
        {
            _unknown[target.Name] = _unknown.GetValueOrDefault(target.Name) + 1;
            return;
        }

        if (expireAtMs != 0 && expireAtMs <= _nowMs)
        {
            // Expired while the node was down (or before): never resurrected.
            table.Remove(update.Key);
            _report.ExpiredWhileDown++;
            return;
        }

        AgeRates(update.Values, Math.Max(0, _nowMs - atMs));
        update.HasExpire = expireAtMs != 0;
        update.ExpireMs = expireAtMs == 0 ? 0 : (uint)Math.Min(expireAtMs - _nowMs, uint.MaxValue);
        var result = table.ApplyRemote(update);
        if (result is ApplyResult.RefusedTableFull or ApplyResult.InvalidKey or ApplyResult.KeyTypeMismatch)
        {
            _refused[target.Name] = _refused.GetValueOrDefault(target.Name) + 1;
        }
    }

    // A rate stored with age a is, after d ms of downtime, a rate of age a + d: the periods that
    // passed while down count as periods without events (two or more empty periods: rate 0).
    private static void AgeRates(EntryValues values, long downMs)
    {
        if (downMs == 0)
        {
            return;
        }

        foreach (var spec in values.Schema.DataTypes)
        {
            if (spec.Info.Encoding != DataEncoding.FrequencyCounter)
            {
                continue;
            }

            foreach (ref var v in values.Of(spec.Type))
            {
                var age = v.AgeMs + downMs;
                if (spec.PeriodMs == 0 || age >= 2L * spec.PeriodMs || age > int.MaxValue)
                {
                    v.AgeMs = 0;
                    v.Current = 0;
                    v.Previous = 0;
                }
                else
                {
                    v.AgeMs = (uint)age;
                }
            }
        }
    }

    // A stored peers message: class, type, varint length, payload.
    private static ReadOnlySpan<byte> MessagePayload(ref PayloadCursor r, StickTableMessageType expected)
    {
        var head = r.ReadBytes(2);
        if (head[0] != (byte)MessageClass.StickTable || head[1] != (byte)expected)
        {
            throw new InvalidDataException($"expected a {expected} message, found {head[0]:x2} {head[1]:x2}");
        }

        return r.ReadBytes(r.ReadLength());
    }

    private static PersistenceException Damaged(string path, long offset, string problem) =>
        new($"{path}: damaged at offset {offset}: {problem}. Start-up stopped so that nothing is lost silently; move the file away to start without it (see docs/persistence.md, \"Recovery\").");

    private sealed record FileTable(string Name, StickTable? Table, DecodedUpdate Update);
}
