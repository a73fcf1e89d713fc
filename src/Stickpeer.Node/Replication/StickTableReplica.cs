// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Replication;

namespace Stickpeer.Node.Replication;

/// <summary>
/// Adapts a <see cref="StickTable"/> of the table engine to <see cref="IReplicatedTable"/>.
/// Local changes are collected in batches; a batch is reused only while no local change
/// happened since it was collected (so an entry is never sent with stale content).
/// </summary>
public sealed class StickTableReplica : IReplicatedTable
{
    private const int BatchSize = 128;

    private readonly UpdateBatch _batch;
    private long _batchMark = -1;
    private uint _batchAfter;
    private int _next;
    private uint? _batchNow;
    private readonly WriteToCopy? _writeTo;

    /// <summary>Wraps <paramref name="table"/>.</summary>
    public StickTableReplica(StickTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Table = table;
        _batch = new UpdateBatch(table.Schema, BatchSize);
    }

    /// <summary>The wrapped table.</summary>
    public StickTable Table { get; }

    /// <summary>
    /// The <c>write-to</c> target (HAProxy 2.9): learned updates also refresh the same key there,
    /// with server_id, gpt0, gpt and server_key only. Null when the table has none.
    /// </summary>
    public StickTable? WriteTarget
    {
        get => _writeTo?.Target;
        init => _writeTo = value is null ? null : new WriteToCopy(value);
    }

    /// <inheritdoc />
    public bool RestoredFromDisk { get; init; }

    /// <inheritdoc />
    public TableSchema Schema => Table.Schema;

    /// <inheritdoc />
    public uint NewestLocalUpdateId => Table.NewestLocalUpdateId;

    /// <inheritdoc />
    public long LocalChangeMark => Table.LocalChangeMark;

    /// <inheritdoc />
    public bool TryReadLocalChange(uint afterId, DecodedUpdate into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var mark = Table.LocalChangeMark;
        if (_batchMark == mark && _batchAfter == afterId && _next == 0 && _batch.Count == 0 && !_batch.MayHaveMore)
        {
            return false; // nothing changed locally since this position was found empty
        }

        var continues = _batchMark == mark && _next > 0 && _next <= _batch.Count && _batch.GetUpdateId(_next - 1) == afterId;
        var fresh = _batchMark == mark && _next == 0 && _batchAfter == afterId && _batch.Count > 0;
        if (!continues && !fresh)
        {
            Table.CollectLocalChanges(afterId, _batch);
            _batchMark = mark;
            _batchAfter = afterId;
            _next = 0;
        }

        if (_next >= _batch.Count)
        {
            if (!_batch.MayHaveMore)
            {
                return false;
            }

            Table.CollectLocalChanges(afterId, _batch);
            _batchMark = mark;
            _batchAfter = afterId;
            _next = 0;
            if (_batch.Count == 0)
            {
                return false;
            }
        }

        Fill(_batch, _next++, into);
        UpdatesTaught++;
        return true;
    }

    /// <summary>Updates from peers applied to the table (created or changed an entry).</summary>
    public long UpdatesLearned { get; private set; }

    /// <summary>Updates from peers not applied because the key had changed locally since (see docs/architecture.md).</summary>
    public long UpdatesKeptLocal { get; private set; }

    /// <summary>Updates from peers dropped because the table was full (no entry could be purged).</summary>
    public long UpdatesRefusedFull { get; private set; }

    /// <summary>Updates read for peers: pushes of local changes and lesson entries, every peer added up.</summary>
    public long UpdatesTaught { get; private set; }

    /// <inheritdoc />
    public ITableTeachCursor StartTeach() => new Cursor(this);

    /// <inheritdoc />
    public void BeginReceiveBatch() => _batchNow = Table.Clock.NowMs;

    /// <inheritdoc />
    public void EndReceiveBatch() => _batchNow = null;

    /// <inheritdoc />
    public RemoteApplyResult ApplyRemote(DecodedUpdate update, long? preserveLocalChangesAfter)
    {
        var result = Table.ApplyRemote(update, new ApplyOptions { PreserveLocalChangesAfter = preserveLocalChangesAfter, NowMs = _batchNow });
        if (_writeTo is not null && result is ApplyResult.Applied or ApplyResult.Created or ApplyResult.IgnoredLocalNewer)
        {
            _writeTo.Apply(update, _batchNow);
        }

        return Count(result);
    }

    /// <inheritdoc />
    public void ApplyRemoteRunFrom(string peer, ReadOnlySpan<DecodedUpdate> updates, long? preserveLocalChangesAfter, Span<RemoteApplyResult> results)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(results.Length, updates.Length, nameof(results));
        if (_writeTo is not null)
        {
            // The write-to copy follows each update: one at a time, as ApplyRemote does.
            for (var i = 0; i < updates.Length; i++)
            {
                results[i] = ApplyRemote(updates[i], preserveLocalChangesAfter);
            }

            return;
        }

        var options = new ApplyOptions { PreserveLocalChangesAfter = preserveLocalChangesAfter, NowMs = _batchNow };
        Span<ApplyResult> applied = stackalloc ApplyResult[StickTable.MaxRemoteRun];
        for (var start = 0; start < updates.Length; start += StickTable.MaxRemoteRun)
        {
            var run = updates.Slice(start, Math.Min(StickTable.MaxRemoteRun, updates.Length - start));
            Table.ApplyRemoteRun(run, options, applied);
            for (var i = 0; i < run.Length; i++)
            {
                results[start + i] = Count(applied[i]);
            }
        }
    }

    /// <summary>Counts <paramref name="result"/> and maps it for the node.</summary>
    private RemoteApplyResult Count(ApplyResult result)
    {
        switch (result)
        {
            case ApplyResult.Applied or ApplyResult.Created:
                UpdatesLearned++;
                break;
            case ApplyResult.IgnoredLocalNewer:
                UpdatesKeptLocal++;
                break;
            case ApplyResult.RefusedTableFull:
                UpdatesRefusedFull++;
                break;
        }

        return result switch
        {
            ApplyResult.Applied or ApplyResult.Created => RemoteApplyResult.Applied,
            ApplyResult.IgnoredLocalNewer => RemoteApplyResult.KeptLocalNewer,
            ApplyResult.RefusedTableFull => RemoteApplyResult.Dropped,
            _ => RemoteApplyResult.Rejected,
        };
    }

    private static void Fill(UpdateBatch batch, int i, DecodedUpdate into)
    {
        into.SetKey(batch.GetKey(i));
        into.UpdateId = batch.GetUpdateId(i);
        into.HasExpire = true;
        into.ExpireMs = batch.GetExpireMs(i);
        batch.GetValues(i).Slots.CopyTo(into.Values.Slots);
    }

    private sealed class Cursor(StickTableReplica replica) : ITableTeachCursor
    {
        private readonly UpdateBatch _batch = new(replica.Schema, BatchSize);
        private TeachCursor _cursor;
        private int _next;

        public bool TryReadNext(DecodedUpdate into)
        {
            while (_next >= _batch.Count)
            {
                if (_cursor.IsComplete)
                {
                    return false;
                }

                replica.Table.CollectAll(ref _cursor, _batch);
                _next = 0;
            }

            Fill(_batch, _next++, into);
            replica.UpdatesTaught++;
            return true;
        }
    }
}
