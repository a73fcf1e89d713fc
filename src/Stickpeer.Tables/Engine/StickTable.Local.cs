// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Tables.Engine;

/// <summary>Local operations (traffic, admin, embedding): every change is a local change with a new update id.</summary>
public sealed partial class StickTable
{
    /// <summary>
    /// Gets or creates the entry and adds <paramref name="amount"/> to one value, like HAProxy's
    /// <c>sc-inc-gpc0</c>/<c>sc-add-gpc</c>: a counter's companion rate is updated too when stored
    /// (gpc0 → gpc0_rate, http_req_cnt → http_req_rate, gpc[i] → gpc_rate[i], …); a rate type
    /// adds to the rate only. 32-bit counters wrap, 64-bit byte counters hold 64 bits, conn_cur
    /// does not go below 0. The entry's expiry is refreshed and it gets a new local update id.
    /// </summary>
    /// <param name="key">Canonical key bytes.</param>
    /// <param name="type">The data type to add to.</param>
    /// <param name="index">Array index (0 for plain types).</param>
    /// <param name="amount">The amount (negative values subtract, modulo the type's width).</param>
    public LocalUpdateStatus Increment(ReadOnlySpan<byte> key, StickDataType type, int index = 0, long amount = 1)
    {
        var v = Validate(type, index, numeric: true);
        if (v != LocalUpdateStatus.Updated)
        {
            return v;
        }

        var companion = CompanionRate(type);
        var hasCompanion = companion is { } c && Layout.Stores(c) && index < Layout.LengthOf(c);
        return ChangeLocally(key, new Increase(type, index, amount, hasCompanion ? companion : null), static (table, shard, slot, in increase, now) =>
        {
            table.AddCore(shard, slot, increase.Type, increase.Index, table.RateIncrement(increase.Type, increase.Amount), now);
            if (increase.Companion is { } rate)
            {
                table.AddCore(shard, slot, rate, increase.Index, table.RateIncrement(rate, increase.Amount), now);
            }
        });
    }

    /// <summary>
    /// Gets or creates the entry and stores values with <c>set table</c> semantics (see
    /// <see cref="DataAssignment"/>). All assignments are validated first; nothing changes on error.
    /// </summary>
    public LocalUpdateStatus Set(ReadOnlySpan<byte> key, ReadOnlySpan<DataAssignment> values)
    {
        foreach (ref readonly var a in values)
        {
            var numeric = (uint)a.Type >= DataTypeCatalogue.Count || DataTypeCatalogue.Get(a.Type).Encoding != DataEncoding.Dictionary;
            var v = Validate(a.Type, a.Index, numeric);
            if (v != LocalUpdateStatus.Updated)
            {
                return v;
            }
        }

        return ChangeLocally(key, values, static (table, shard, slot, in assignments, now) =>
        {
            foreach (ref readonly var a in assignments)
            {
                table.SetCore(shard, slot, a, now);
            }
        });
    }

    /// <summary>Gets or creates the entry and refreshes it (a local change, like tracking a key).</summary>
    public LocalUpdateStatus Touch(ReadOnlySpan<byte> key) => Set(key, []);

    /// <summary>
    /// Gets or creates the entry and marks it in use (HAProxy's <c>use</c>): an entry in use is
    /// never evicted nor cleared. Pair with <see cref="Untrack"/>.
    /// </summary>
    public LocalUpdateStatus Track(ReadOnlySpan<byte> key)
    {
        return ChangeLocally(key, 0, static (_, shard, slot, in _, _) =>
        {
            ref var m = ref shard.Meta(slot);
            if (m.RefCount < byte.MaxValue)
            {
                m.RefCount++;
            }
        });
    }

    /// <summary>Releases one <see cref="Track"/> of the entry.</summary>
    public LocalUpdateStatus Untrack(ReadOnlySpan<byte> key)
    {
        if (!TryNormalize(key, out var k))
        {
            return LocalUpdateStatus.InvalidKey;
        }

        var hash = Hash(k);
        var shard = ShardFor(hash);
        lock (shard.Gate)
        {
            var slot = shard.Find(hash, k);
            if (slot < 0)
            {
                return LocalUpdateStatus.NotFound;
            }

            ref var m = ref shard.Meta(slot);
            if (m.RefCount > 0)
            {
                m.RefCount--;
            }

            return LocalUpdateStatus.Updated;
        }
    }

    /// <summary>Reads one numeric value as HAProxy reports it (rates: the current rate). False when the key is absent or expired, or the type is not stored/numeric.</summary>
    public bool TryGetValue(ReadOnlySpan<byte> key, StickDataType type, int index, out long value)
    {
        value = 0;
        if (Validate(type, index, numeric: true) != LocalUpdateStatus.Updated || !TryNormalize(key, out var k))
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

            value = Scaled(type, ReadNumber(shard, slot, type, index, now));
            return true;
        }
    }

    /// <summary>Reads server_key (null when the entry has none). False when the key is absent or server_key is not stored.</summary>
    public bool TryGetText(ReadOnlySpan<byte> key, out string? text)
    {
        text = null;
        if (!Layout.Stores(StickDataType.ServerKey) || !TryNormalize(key, out var k))
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

            text = shard.TextOf(slot);
            return true;
        }
    }

    /// <summary>True when the key is present and not expired.</summary>
    public bool Contains(ReadOnlySpan<byte> key)
    {
        if (!TryNormalize(key, out var k))
        {
            return false;
        }

        var hash = Hash(k);
        var shard = ShardFor(hash);
        lock (shard.Gate)
        {
            return shard.FindLive(hash, k, Clock.NowMs) >= 0;
        }
    }

    /// <summary>Removes one key on this node only (no delete travels to peers).</summary>
    public RemoveResult Remove(ReadOnlySpan<byte> key)
    {
        if (!TryNormalize(key, out var k))
        {
            return RemoveResult.NotFound;
        }

        var hash = Hash(k);
        var shard = ShardFor(hash);
        lock (shard.Gate)
        {
            var slot = shard.FindLive(hash, k, Clock.NowMs);
            if (slot < 0)
            {
                return RemoveResult.NotFound;
            }

            if (shard.Meta(slot).RefCount > 0)
            {
                return RemoveResult.InUse;
            }

            shard.Remove(slot, RemovalReason.Cleared);
            return RemoveResult.Removed;
        }
    }

    /// <summary>Changes one entry in place, under its shard's lock (see <see cref="ChangeLocally{TState}"/>).</summary>
    private delegate void EntryChange<TState>(StickTable table, TableShard shard, int slot, in TState state, uint now)
        where TState : allows ref struct;

    /// <summary>
    /// The shape of every local write: find or create the entry of <paramref name="key"/>, change it
    /// with <paramref name="change"/> under the shard's lock, then record it as a local change (new
    /// update id, pushed to peers). <paramref name="change"/> is static with its data in
    /// <paramref name="state"/>, so a write allocates nothing.
    /// </summary>
    private LocalUpdateStatus ChangeLocally<TState>(ReadOnlySpan<byte> key, in TState state, EntryChange<TState> change)
        where TState : allows ref struct
    {
        if (!TryNormalize(key, out var k))
        {
            return LocalUpdateStatus.InvalidKey;
        }

        var hash = Hash(k);
        var shard = ShardFor(hash);
        var now = Clock.NowMs;
        lock (shard.Gate)
        {
            var status = GetOrCreate(shard, hash, k, now, out var slot);
            if (slot < 0)
            {
                return status;
            }

            change(this, shard, slot, state, now);
            LocalChange(shard, slot, now);
            return status;
        }
    }

    /// <summary>What <see cref="Increment"/> adds: the value, and its companion rate when the table stores one.</summary>
    private readonly record struct Increase(StickDataType Type, int Index, long Amount, StickDataType? Companion);

    private LocalUpdateStatus GetOrCreate(TableShard shard, uint hash, ReadOnlySpan<byte> key, uint now, out int slot)
    {
        slot = shard.FindLive(hash, key, now);
        if (slot >= 0)
        {
            return LocalUpdateStatus.Updated;
        }

        shard.SweepIfDue(now);
        if (!TryReserve(shard, now))
        {
            return LocalUpdateStatus.TableFull;
        }

        slot = shard.Insert(hash, key);
        return LocalUpdateStatus.Created;
    }

    private void LocalChange(TableShard shard, int slot, uint now)
    {
        shard.LogLocalChange(slot, NextSequence());
        shard.SetExpire(slot, ExpireFromNow(now));
        Notify(shard, slot, now);
    }

    /// <summary>Tells the observer (if any) an entry's new content; caller holds the shard lock.</summary>
    private void Notify(TableShard shard, int slot, uint now)
    {
        if (Observer is not { } observer)
        {
            return;
        }

        var values = shard.ObserverValues ??= new EntryValues(Schema);
        FillValues(shard, slot, values, now);
        observer.OnEntryChanged(this, shard.KeyOf(slot), values, Remaining(shard, slot, now));
    }
}
