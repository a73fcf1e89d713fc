// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.Metrics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Declaration;
using Stickpeer.Tables.Diagnostics;

namespace Stickpeer.Tables.Engine;

/// <summary>
/// A stick table: entries keyed by canonical key bytes (<see cref="StickKey"/>), with
/// HAProxy's data semantics (32-bit wrapping counters, 64-bit byte counters, period-based
/// rates on a wrapping millisecond clock), expiry refreshed on every touch, a size limit
/// (oldest entries purged, or new keys refused with <c>nopurge</c>) and an update log for
/// replication. Thread-safe: entries live in shards, each with its own lock; no operation
/// holds more than one shard lock at a time.
/// </summary>
public sealed partial class StickTable
{
    internal const ulong HandleBase = 0x7f0000000000UL;

    private readonly TableShard[] _shards;
    private readonly ulong _seed;
    private readonly ILogger _logger;
    private readonly TableMetrics _metrics;
    private readonly KeyValuePair<string, object?> _tag;
    private readonly ValuePlan _ownPlan;
    private readonly uint _bytesRateFactor = 1;
    private readonly ValuePlan?[] _senderPlans = new ValuePlan?[4];
    private int _senderPlanNext;
    private long _count;
    private long _sequence;

    /// <summary>Creates a table.</summary>
    /// <param name="localName">The name used locally (<c>show table NAME</c>): the proxy name, or <c>section/table</c>.</param>
    /// <param name="schema">The wire shape (network name, key type and size, expire, stored types).</param>
    /// <param name="size">Maximum number of entries (≥ 1).</param>
    /// <param name="noPurge">Refuse new keys when full instead of purging the oldest entries.</param>
    /// <param name="options">Runtime options.</param>
    public StickTable(string localName, TableSchema schema, long size, bool noPurge = false, StickTableOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(localName);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        options ??= new StickTableOptions();
        Name = localName;
        Schema = schema;
        Size = size;
        NoPurge = noPurge;
        ExpireMs = schema.ExpireMs;
        Clock = options.Clock ?? new TableClock(options.TimeProvider);
        _logger = options.Logger ?? NullLogger.Instance;
        _metrics = options.Metrics ?? TableMetrics.Shared;
        _tag = new KeyValuePair<string, object?>("stickpeer.table", localName);
        _sequence = options.InitialUpdateId;
        _seed = options.HashSeed ?? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        Layout = new ValueLayout(schema);
        _ownPlan = ValuePlan.ForOwn(schema, Layout);
        KeyStride = Math.Max(StickKey.MaxKeyLength(schema.KeyType, schema.KeySize), 1);
        (WheelShift, WheelBuckets) = ChooseWheel(ExpireMs);
        var shards = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(options.ShardCount, 1, 1024));
        _shards = new TableShard[shards];
        var now = Clock.NowMs;
        for (var i = 0; i < shards; i++)
        {
            _shards[i] = new TableShard(this, i, now);
        }
    }

    /// <summary>Creates a table from a parsed declaration.</summary>
    /// <param name="declaration">The parsed <c>stick-table</c> line.</param>
    /// <param name="localName">The local name (proxy name, or <c>section/table</c>).</param>
    /// <param name="networkName">The name announced to peers.</param>
    /// <param name="options">Runtime options.</param>
    public static StickTable Create(StickTableDeclaration declaration, string localName, string networkName, StickTableOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        return new StickTable(localName, declaration.ToSchema(networkName), declaration.Size, declaration.NoPurge, options)
        {
            ReceiveOnly = declaration.ReceiveOnly,
            BytesRateFactor = declaration.BytesRateFactor,
        };
    }

    /// <summary>The local name.</summary>
    public string Name { get; }

    /// <summary>The wire shape of the table (network name in <see cref="TableSchema.Name"/>).</summary>
    public TableSchema Schema { get; }

    /// <summary>The key type.</summary>
    public StickKeyType KeyType => Schema.KeyType;

    /// <summary>Maximum number of entries.</summary>
    public long Size { get; }

    /// <summary>True when new keys are refused (not purged for) when the table is full.</summary>
    public bool NoPurge { get; }

    /// <summary>
    /// True for a <c>recv-only</c> table (HAProxy 3.2): updates from peers set the local-only
    /// <c>conn_cur</c> too, which other tables ignore because it would overwrite the local count.
    /// </summary>
    public bool ReceiveOnly { get; init; }

    /// <summary>
    /// The <c>brates-factor</c> (HAProxy 3.1; 1 = none). <c>bytes_in_rate</c>/<c>bytes_out_rate</c>
    /// store blocks of this many bytes (what the wire carries, so a mixed mesh agrees), increments
    /// add whole blocks rounded up, and readers (<see cref="TryGetValue"/>, <c>show table</c> and its
    /// filters) multiply back, as HAProxy does. <c>set table</c> writes the stored value unscaled.
    /// </summary>
    public uint BytesRateFactor
    {
        get => _bytesRateFactor;
        init
        {
            ArgumentOutOfRangeException.ThrowIfZero(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1024u);
            _bytesRateFactor = value;
        }
    }

    /// <summary>Entry lifetime after the last touch, in ms (0 = entries never expire).</summary>
    public uint ExpireMs { get; }

    /// <summary>The table's millisecond clock.</summary>
    public TableClock Clock { get; }

    /// <summary>Number of entries (expired entries count until swept; call <see cref="Sweep"/> first for an exact figure).</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>
    /// Records in the update logs of every shard (local changes not yet compacted away): how much
    /// a peer that reconnects may have to be sent. Read without the shard locks, so approximate.
    /// </summary>
    public long UpdateLogDepth
    {
        get
        {
            long n = 0;
            foreach (var shard in _shards)
            {
                n += shard.LogRecords;
            }

            return n;
        }
    }

    /// <summary>Number of shards.</summary>
    public int ShardCount => _shards.Length;

    /// <summary>A shard by position; for tests.</summary>
    internal TableShard ShardAt(int index) => _shards[index];

    internal ValueLayout Layout { get; }

    internal int KeyStride { get; }

    /// <summary>
    /// Told about every change of content (set once, before the table is shared; null = none).
    /// Expiry and sweeps are not reported: an observer keeps absolute expiry times instead.
    /// </summary>
    public IStickTableObserver? Observer { get; set; }

    internal int WheelShift { get; }

    internal int WheelBuckets { get; }

    /// <summary>Removes expired entries, one shard at a time. Returns how many were removed.</summary>
    public int Sweep()
    {
        var now = Clock.NowMs;
        var removed = 0;
        foreach (var shard in _shards)
        {
            lock (shard.Gate)
            {
                removed += shard.Sweep(now);
            }
        }

        if (removed > 0)
        {
            Log.Swept(_logger, Name, removed);
        }

        return removed;
    }

    private static (int Shift, int Buckets) ChooseWheel(uint expireMs)
    {
        const int Buckets = 256;
        if (expireMs == 0)
        {
            return (0, 1);
        }

        // (Buckets - 2) * 2^shift > expire: a bucket never holds two laps of live entries.
        var shift = 0;
        while (shift < 31 && ((ulong)(Buckets - 2) << shift) <= expireMs)
        {
            shift++;
        }

        return (shift, Buckets);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TableShard ShardFor(uint hash) => _shards[ShardIndexFor(hash)];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ShardIndexFor(uint hash) => (int)(((ulong)hash * (uint)_shards.Length) >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint Hash(ReadOnlySpan<byte> key) => KeyHash.Compute(key, _seed);

    internal long NextSequence() => Interlocked.Increment(ref _sequence);

    internal uint ExpireFromNow(uint now) => ExpireMs == 0 ? 0 : TableClock.AddTicks(now, ExpireMs);

    internal void OnRemoved(RemovalReason reason)
    {
        Interlocked.Decrement(ref _count);
        if (_metrics.Entries.Enabled)
        {
            _metrics.Entries.Add(-1, _tag);
        }

        Counter<long>? c = reason switch
        {
            RemovalReason.Expired => _metrics.Expirations,
            RemovalReason.Evicted => _metrics.Evictions,
            _ => null,
        };
        if (c is not null && c.Enabled)
        {
            c.Add(1, _tag);
        }
    }

    /// <summary>
    /// Makes room for one more entry in the table-wide count (caller holds <paramref name="own"/>'s lock).
    /// Purges the oldest unused entry of this shard, else of another shard it can lock without waiting.
    /// </summary>
    private bool TryReserve(TableShard own, uint now)
    {
        while (true)
        {
            var c = Volatile.Read(ref _count);
            if (c < Size)
            {
                if (Interlocked.CompareExchange(ref _count, c + 1, c) == c)
                {
                    if (_metrics.Entries.Enabled)
                    {
                        _metrics.Entries.Add(1, _tag);
                    }

                    return true;
                }

                continue;
            }

            if (own.Sweep(now) > 0)
            {
                continue;
            }

            if (NoPurge || !EvictSomewhere(own, now))
            {
                Log.TableFull(_logger, Name, Size);
                return false;
            }
        }
    }

    private bool EvictSomewhere(TableShard own, uint now)
    {
        if (own.EvictOne(now))
        {
            return true;
        }

        for (var i = 1; i < _shards.Length; i++)
        {
            var other = _shards[(own.Index + i) & (_shards.Length - 1)];
            if (other.Gate.TryEnter())
            {
                try
                {
                    if (other.Sweep(now) > 0 || other.EvictOne(now))
                    {
                        return true;
                    }
                }
                finally
                {
                    other.Gate.Exit();
                }
            }
        }

        return false;
    }

    /// <summary>Normalises a caller key: strings stop at NUL and are truncated to the key size − 1; others must have the exact size (binary is zero padded).</summary>
    internal bool TryNormalize(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> normalized)
    {
        switch (Schema.KeyType)
        {
            case StickKeyType.String:
                var nul = key.IndexOf((byte)0);
                if (nul >= 0)
                {
                    key = key[..nul];
                }

                normalized = key.Length > KeyStride ? key[..KeyStride] : key;
                return true;
            case StickKeyType.Binary:
                if (key.Length == KeyStride)
                {
                    normalized = key;
                    return true;
                }

                if (key.Length < KeyStride)
                {
                    var padded = new byte[KeyStride];
                    key.CopyTo(padded);
                    normalized = padded;
                    return true;
                }

                normalized = default;
                return false;
            default:
                normalized = key;
                return key.Length == KeyStride;
        }
    }

    internal static ulong MakeHandle(int shard, int slot) => HandleBase + ((ulong)shard << 32) + ((ulong)slot * 8);
}
