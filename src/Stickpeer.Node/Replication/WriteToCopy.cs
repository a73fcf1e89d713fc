// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;

namespace Stickpeer.Node.Replication;

/// <summary>
/// HAProxy's <c>write-to &lt;table&gt;</c> (2.9): every update learned on the source table also
/// creates or refreshes the same key in the target, with the "as-is" types only (server_id, gpt0,
/// gpt, server_key). Counters and rates are left out so that a peer's values never add into the
/// target's own arithmetic; the usual use is stickiness rules that match keys learned from peers.
/// </summary>
internal sealed class WriteToCopy
{
    private readonly StickTable _target;
    private TableSchema? _sender;
    private DecodedUpdate? _copy;
    private int[] _slotMap = [];

    public WriteToCopy(StickTable target) => _target = target;

    /// <summary>The target table.</summary>
    public StickTable Target => _target;

    /// <summary>Applies the as-is values of <paramref name="update"/> to the target, as a learned update.</summary>
    public void Apply(DecodedUpdate update, uint? nowMs)
    {
        var copy = CopyFor(update.Values.Schema);
        copy.SetKey(update.Key);
        copy.UpdateId = update.UpdateId;
        copy.HasExpire = update.HasExpire;
        copy.ExpireMs = update.ExpireMs;
        var from = update.Values.Slots;
        var to = copy.Values.Slots;
        for (var i = 0; i < _slotMap.Length; i++)
        {
            to[i] = from[_slotMap[i]];
        }

        _target.ApplyRemote(copy, new ApplyOptions { NowMs = nowMs });
    }

    /// <summary>The reduced update for a sender's schema (rebuilt only when the sender's schema changes).</summary>
    private DecodedUpdate CopyFor(TableSchema sender)
    {
        if (ReferenceEquals(sender, _sender) && _copy is not null)
        {
            return _copy;
        }

        var specs = new List<DataTypeSpec>();
        var map = new List<int>();
        var slot = 0;
        foreach (var spec in sender.DataTypes)
        {
            if (spec.Info.IsAsIs)
            {
                specs.Add(spec);
                for (var i = 0; i < spec.ArrayLength; i++)
                {
                    map.Add(slot + i);
                }
            }

            slot += spec.ArrayLength;
        }

        _sender = sender;
        _slotMap = [.. map];
        _copy = new DecodedUpdate(new TableSchema(sender.Name, sender.KeyType, sender.KeySize, sender.ExpireMs, specs));
        return _copy;
    }
}
