// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Replication;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Replication;

namespace Stickpeer.Benchmarks.Session;

/// <summary>
/// Binds a <see cref="StickTable"/> (the real engine) to the node core's
/// <see cref="IReplicatedTable"/>: local changes are read through a cached
/// <see cref="UpdateBatch"/>, lessons walk the table with a <see cref="TeachCursor"/>.
/// </summary>
internal sealed class StickTableReplica : IReplicatedTable
{
    private readonly StickTable _table;
    private readonly UpdateBatch _batch;
    private int _next;
    private uint _lastReturned;
    private uint _collectedAtNewest;
    private bool _valid;

    public StickTableReplica(StickTable table)
    {
        _table = table;
        _batch = new UpdateBatch(table.Schema, 256);
    }

    public StickTable Table => _table;

    public TableSchema Schema => _table.Schema;

    public uint NewestLocalUpdateId => _table.NewestLocalUpdateId;

    public long LocalChangeMark => _table.LocalChangeMark;

    public bool TryReadLocalChange(uint afterId, DecodedUpdate into)
    {
        var newest = _table.NewestLocalUpdateId;
        var sameWalk = _valid && afterId == _lastReturned && newest == _collectedAtNewest;
        if (!sameWalk || (_next >= _batch.Count && _batch.MayHaveMore))
        {
            _table.CollectLocalChanges(afterId, _batch);
            _collectedAtNewest = newest;
            _next = 0;
            _valid = true;
        }

        if (_next >= _batch.Count)
        {
            _lastReturned = afterId;
            return false;
        }

        Copy(_batch, _next++, into);
        _lastReturned = into.UpdateId;
        return true;
    }

    public ITableTeachCursor StartTeach() => new Cursor(_table);

    public RemoteApplyResult ApplyRemote(DecodedUpdate update, long? preserveLocalChangesAfter)
    {
        var r = _table.ApplyRemote(update, preserveLocalChangesAfter is { } m ? ApplyOptions.ForLesson(m) : default);
        return r switch
        {
            ApplyResult.Applied or ApplyResult.Created => RemoteApplyResult.Applied,
            ApplyResult.IgnoredLocalNewer => RemoteApplyResult.KeptLocalNewer,
            ApplyResult.RefusedTableFull => RemoteApplyResult.Dropped,
            _ => RemoteApplyResult.Rejected,
        };
    }

    private static void Copy(UpdateBatch batch, int i, DecodedUpdate into)
    {
        into.SetKey(batch.GetKey(i));
        into.UpdateId = batch.GetUpdateId(i);
        into.HasExpire = true;
        into.ExpireMs = batch.GetExpireMs(i);
        batch.GetValues(i).Slots.CopyTo(into.Values.Slots);
    }

    private sealed class Cursor(StickTable table) : ITableTeachCursor
    {
        private readonly UpdateBatch _batch = new(table.Schema, 256);
        private TeachCursor _cursor;
        private int _next;

        public bool TryReadNext(DecodedUpdate into)
        {
            if (_next >= _batch.Count)
            {
                if (_cursor.IsComplete)
                {
                    return false;
                }

                table.CollectAll(ref _cursor, _batch);
                _next = 0;
                if (_batch.Count == 0)
                {
                    return false;
                }
            }

            Copy(_batch, _next++, into);
            return true;
        }
    }
}
