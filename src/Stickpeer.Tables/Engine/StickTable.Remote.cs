// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Diagnostics;

namespace Stickpeer.Tables.Engine;

/// <summary>Applying updates learned from peers, and reading entries for pushing.</summary>
public sealed partial class StickTable
{
    /// <summary>
    /// A mark of "now" in the local-change sequence (64-bit, never wraps). Take it when a lesson
    /// starts and pass it in <see cref="ApplyOptions.PreserveLocalChangesAfter"/>; compare with
    /// <see cref="HasLocalChangeSince"/>.
    /// </summary>
    public long LocalChangeMark => Volatile.Read(ref _sequence);

    /// <summary>The newest local update id (32-bit, wrapping): the top of the push window.</summary>
    public uint NewestLocalUpdateId => unchecked((uint)Volatile.Read(ref _sequence));

    /// <summary>Applies an update learned from a peer, unconditionally (last writer wins).</summary>
    public ApplyResult ApplyRemote(DecodedUpdate update) => ApplyRemote(update, default);

    /// <summary>
    /// Applies an update learned from a peer: values are mapped by data type from the sender's
    /// schema onto ours (types we do not store are dropped, conn_cur is ignored, arrays take
    /// min(sender, local) elements, rates are rebuilt with tick = now − age). Plain updates set
    /// the expiry to now + table expire; timed ones to now + min(given, table expire). The entry
    /// is marked learned: it leaves the local push window (it is still taught in full resyncs) —
    /// unless it carries exactly the values of a local change still in the window (a teacher's
    /// echo of what it learned from us), which stays local so every peer still receives it.
    /// With a full <c>nopurge</c> table the update is refused even for an existing key, like HAProxy.
    /// </summary>
    public ApplyResult ApplyRemote(DecodedUpdate update, ApplyOptions options)
    {
        ArgumentNullException.ThrowIfNull(update);
        var sender = update.Values.Schema;
        if (sender.KeyType != Schema.KeyType || sender.KeySize != Schema.KeySize)
        {
            Log.RemoteUpdateRefused(_logger, Name, "key type mismatch");
            return ApplyResult.KeyTypeMismatch;
        }

        if (!TryNormalize(update.Key, out var k) || (Schema.KeyType == StickKeyType.Binary && update.Key.Length != KeyStride))
        {
            return ApplyResult.InvalidKey;
        }

        var hash = Hash(k);
        var shard = ShardFor(hash);
        var now = options.NowMs ?? Clock.NowMs;
        lock (shard.Gate)
        {
            return ApplyRemoteLocked(shard, hash, k, update, options.PreserveLocalChangesAfter, now);
        }
    }

    /// <summary>The body of <see cref="ApplyRemote(DecodedUpdate, ApplyOptions)"/> once the key is hashed and its shard locked.</summary>
    private ApplyResult ApplyRemoteLocked(TableShard shard, uint hash, ReadOnlySpan<byte> k, DecodedUpdate update, long? preserveLocalChangesAfter, uint now)
    {
        if (NoPurge && Volatile.Read(ref _count) >= Size)
        {
            shard.Sweep(now);
            if (Volatile.Read(ref _count) >= Size)
            {
                Log.RemoteUpdateRefused(_logger, Name, "table full (nopurge)");
                return ApplyResult.RefusedTableFull;
            }
        }

        uint expire;
        if (ExpireMs == 0)
        {
            expire = 0;
        }
        else
        {
            var life = update.HasExpire ? Math.Min(update.ExpireMs, ExpireMs) : ExpireMs;
            expire = TableClock.AddTicks(now, life);
        }

        var slot = shard.FindLive(hash, k, now);
        if (slot >= 0)
        {
            ref var m = ref shard.Meta(slot);
            if (preserveLocalChangesAfter is { } mark && (m.Flags & EntryFlags.InLog) != 0 && m.LocalId > mark)
            {
                return ApplyResult.IgnoredLocalNewer;
            }

            // An echo of our own pending change (a teacher teaching back what it learned from us)
            // is not a newer value: the entry keeps its place in the push window, so peers that
            // have not acknowledged the change yet still receive it. Marking it learned would
            // strand it on this node and its teacher (HAProxy has that gap).
            var echo = (m.Flags & EntryFlags.InLog) != 0 && RemoteValuesEqualStored(shard, slot, update.Values);
            StoreRemoteValues(shard, slot, update.Values, now);
            if (!echo)
            {
                shard.MarkLearned(slot);
            }

            shard.SetExpire(slot, expire);
            Notify(shard, slot, now);
            return ApplyResult.Applied;
        }

        shard.SweepIfDue(now);
        if (!TryReserve(shard, now))
        {
            return ApplyResult.RefusedTableFull;
        }

        slot = shard.Insert(hash, k, expire);
        StoreRemoteValues(shard, slot, update.Values, now);
        shard.MarkLearned(slot);
        Notify(shard, slot, now);
        return ApplyResult.Created;
    }

    /// <summary>
    /// True when the key's last local change is newer than <paramref name="mark"/> (from
    /// <see cref="LocalChangeMark"/>) and still waits in the push window.
    /// </summary>
    public bool HasLocalChangeSince(ReadOnlySpan<byte> key, long mark)
    {
        if (!TryNormalize(key, out var k))
        {
            return false;
        }

        var hash = Hash(k);
        var shard = ShardFor(hash);
        lock (shard.Gate)
        {
            var slot = shard.FindLive(hash, k, Clock.NowMs);
            if (slot < 0)
            {
                return false;
            }

            ref var m = ref shard.Meta(slot);
            return (m.Flags & EntryFlags.InLog) != 0 && m.LocalId > mark;
        }
    }

    /// <summary>
    /// Fills <paramref name="values"/> (laid out in <see cref="Schema"/>) from the entry now:
    /// rate ages are now − tick. <paramref name="expireMs"/> is the remaining lifetime (0 when
    /// the table has no expire). False when the key is absent or expired.
    /// </summary>
    public bool TryFillValues(ReadOnlySpan<byte> key, EntryValues values, out uint expireMs)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckOwnSchema(values.Schema);
        expireMs = 0;
        if (!TryNormalize(key, out var k))
        {
            return false;
        }

        var hash = Hash(k);
        var shard = ShardFor(hash);
        var now = Clock.NowMs;
        lock (shard.Gate)
        {
            var slot = shard.FindLive(hash, k, now);
            if (slot < 0)
            {
                return false;
            }

            FillValues(shard, slot, values, now);
            expireMs = Remaining(shard, slot, now);
            return true;
        }
    }

    private static uint Remaining(TableShard shard, int slot, uint now)
    {
        var exp = shard.Meta(slot).Expire;
        if (exp == 0)
        {
            return 0;
        }

        var left = unchecked((int)(exp - now));
        return left > 0 ? (uint)left : 0;
    }

    private void CheckOwnSchema(TableSchema schema)
    {
        if (!ReferenceEquals(schema, Schema) && (schema.DataTypeMask != Schema.DataTypeMask || schema.KeySize != Schema.KeySize || !SameArrays(schema)))
        {
            throw new ArgumentException("values must be laid out in this table's schema", nameof(schema));
        }
    }

    private bool SameArrays(TableSchema schema)
    {
        foreach (var spec in Schema.DataTypes)
        {
            if (!schema.TryGet(spec.Type, out var other) || other.ArrayLength != spec.ArrayLength)
            {
                return false;
            }
        }

        return true;
    }
}
