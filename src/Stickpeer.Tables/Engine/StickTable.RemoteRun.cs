// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Numerics;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Diagnostics;

namespace Stickpeer.Tables.Engine;

/// <content>Applying a run of updates learned from a peer (a received buffer's consecutive updates of one table).</content>
public sealed partial class StickTable
{
    /// <summary>The longest run <see cref="ApplyRemoteRun"/> hashes ahead (its scratch lives on the stack).</summary>
    public const int MaxRemoteRun = 64;

    /// <summary>
    /// Applies <paramref name="updates"/> in order, each exactly as <see cref="ApplyRemote(DecodedUpdate, ApplyOptions)"/>
    /// would (same conflict rules, expiry, observer calls, results in <paramref name="results"/>), but
    /// cheaper per update: every key of the run is hashed first and its hash bucket and chain head
    /// loaded before the first update is applied, so the cache misses of a large table overlap
    /// instead of coming one after the other, and each shard the run touches is locked once for the whole run.
    /// At most <see cref="MaxRemoteRun"/> updates.
    /// </summary>
    public void ApplyRemoteRun(ReadOnlySpan<DecodedUpdate> updates, ApplyOptions options, Span<ApplyResult> results)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(updates.Length, MaxRemoteRun, nameof(updates));
        ArgumentOutOfRangeException.ThrowIfLessThan(results.Length, updates.Length, nameof(results));
        Span<uint> hashes = stackalloc uint[updates.Length];
        Span<bool> valid = stackalloc bool[updates.Length];

        // Pass 1: validate and hash every key, and start loading each one's bucket.
        var touched = 0;
        for (var i = 0; i < updates.Length; i++)
        {
            var update = updates[i];
            ArgumentNullException.ThrowIfNull(update, nameof(updates));
            if (!IsAcceptableRemoteKey(update, out var k, out results[i]))
            {
                continue;
            }

            valid[i] = true;
            hashes[i] = Hash(k);
            touched ^= ShardFor(hashes[i]).PeekBucket(hashes[i]);
        }

        // Pass 2: the buckets are (mostly) in cache now; load the chain heads they point at.
        for (var i = 0; i < updates.Length; i++)
        {
            if (valid[i])
            {
                touched ^= ShardFor(hashes[i]).PeekChainHead(hashes[i]);
            }
        }

        _peekSink = touched; // keeps the loads above from being optimised away

        // Pass 3: take each shard the run touches once, in ascending shard order (two runs applied
        // at once cannot deadlock; everything else holds one shard at a time, or only tries
        // another), then apply in order and release. Locks per run instead of per update: with
        // 16 shards a run of 64 takes about 16.
        // The shards in ascending order from a bit set, not a sort: a comparison sort of the run's
        // shard numbers was 9 % of a learner's CPU (perf, 1 M-entry lesson; docs/benchmarks.md).
        Span<ulong> seen = stackalloc ulong[(_shards.Length + 63) >> 6];
        seen.Clear();
        for (var i = 0; i < updates.Length; i++)
        {
            if (valid[i])
            {
                var shard = ShardIndexFor(hashes[i]);
                seen[shard >> 6] |= 1UL << (shard & 63);
            }
        }

        Span<int> order = stackalloc int[Math.Min(updates.Length, _shards.Length)];
        var distinct = 0;
        for (var w = 0; w < seen.Length; w++)
        {
            for (var bits = seen[w]; bits != 0; bits &= bits - 1)
            {
                order[distinct++] = (w << 6) + BitOperations.TrailingZeroCount(bits);
            }
        }

        order = order[..distinct];
        var now = options.NowMs ?? Clock.NowMs;
        var mark = options.PreserveLocalChangesAfter;
        var entered = 0;
        try
        {
            for (; entered < order.Length; entered++)
            {
                _shards[order[entered]].Gate.Enter();
            }

            for (var i = 0; i < updates.Length; i++)
            {
                if (valid[i])
                {
                    TryNormalize(updates[i].Key, out var k);
                    results[i] = ApplyRemoteLocked(ShardFor(hashes[i]), hashes[i], k, updates[i], mark, now);
                }
            }
        }
        finally
        {
            while (entered > 0)
            {
                _shards[order[--entered]].Gate.Exit();
            }
        }
    }

    private int _peekSink;

    /// <summary>The checks <see cref="ApplyRemote(DecodedUpdate, ApplyOptions)"/> makes before hashing; false with the result to report.</summary>
    private bool IsAcceptableRemoteKey(DecodedUpdate update, out ReadOnlySpan<byte> key, out ApplyResult refusal)
    {
        var sender = update.Values.Schema;
        if (sender.KeyType != Schema.KeyType || sender.KeySize != Schema.KeySize)
        {
            Log.RemoteUpdateRefused(_logger, Name, "key type mismatch");
            key = default;
            refusal = ApplyResult.KeyTypeMismatch;
            return false;
        }

        if (!TryNormalize(update.Key, out key) || (Schema.KeyType == StickKeyType.Binary && update.Key.Length != KeyStride))
        {
            refusal = ApplyResult.InvalidKey;
            return false;
        }

        refusal = default;
        return true;
    }
}
