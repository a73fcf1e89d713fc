// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Replication;

namespace Stickpeer.Node.Tables;

/// <summary>
/// Adapts a <see cref="StickTable"/> (the table engine) to what the node core needs
/// (<see cref="IReplicatedTable"/>). Local changes are read through a small batch cache so that
/// consecutive reads by one session do not rescan the update log.
/// </summary>
public sealed class StickTableReplica : IReplicatedTable
{
    private const int BatchSize = 64;

    private readonly UpdateBatch _batch;
    private int _next;
    private uint _lastServed;
    private bool _cacheValid;

    public StickTableReplica(StickTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Table = table;
        _batch = new UpdateBatch(table.Schema, BatchSize);
    }

    public StickTable Table { get; }

    public TableSchema Schema => Table.Schema;

    public uint NewestLocalUpdateId => Table.NewestLocalUpdateId;

    public bool TryReadLocalChange(uint afterId, DecodedUpdate into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (!_cacheValid || afterId != _lastServed || _next >= _batch.Count)
        {
            Table.CollectLocalChanges(afterId, _batch);
            _next = 0;
            _cacheValid = _batch.Count > 0;
            if (!_cacheValid)
            {
                return false;
            }
        }

        var i = _next++;
        Copy(_batch, i, into, Table.ExpireMs > 0);
        _lastServed = into.UpdateId;
        return true;
    }

    public ITableTeachCursor StartTeach() => new TeachWalk(Table);

    public long LocalChangeMark => Table.LocalChangeMark;

    public RemoteApplyResult ApplyRemote(DecodedUpdate update, long? preserveLocalChangesAfter)
    {
        _cacheValid = false;
        var options = preserveLocalChangesAfter is { } mark ? ApplyOptions.ForLesson(mark) : default;
        return Table.ApplyRemote(update, options) switch
        {
            ApplyResult.Applied or ApplyResult.Created => RemoteApplyResult.Applied,
            ApplyResult.IgnoredLocalNewer => RemoteApplyResult.KeptLocalNewer,
            ApplyResult.RefusedTableFull => RemoteApplyResult.Dropped,
            _ => RemoteApplyResult.Rejected,
        };
    }

    private static void Copy(UpdateBatch batch, int index, DecodedUpdate into, bool hasExpire)
    {
        into.UpdateId = batch.GetUpdateId(index);
        into.SetKey(batch.GetKey(index));
        into.HasExpire = hasExpire;
        into.ExpireMs = batch.GetExpireMs(index);
        batch.GetValues(index).Slots.CopyTo(into.Values.Slots);
    }

    private sealed class TeachWalk(StickTable table) : ITableTeachCursor
    {
        private readonly UpdateBatch _batch = new(table.Schema, BatchSize);
        private TeachCursor _cursor;
        private int _next;

        public bool TryReadNext(DecodedUpdate into)
        {
            ArgumentNullException.ThrowIfNull(into);
            while (_next >= _batch.Count)
            {
                if (_cursor.IsComplete)
                {
                    return false;
                }

                table.CollectAll(ref _cursor, _batch);
                _next = 0;
            }

            Copy(_batch, _next++, into, table.ExpireMs > 0);
            return true;
        }
    }
}
