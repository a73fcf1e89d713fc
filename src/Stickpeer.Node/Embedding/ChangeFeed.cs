// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Stickpeer.Protocol.Model;
using Stickpeer.Tables.Engine;
using Stickpeer.Tables.Keys;

namespace Stickpeer.Node.Embedding;

/// <summary>
/// Fans table changes out to every watcher, each with a bounded buffer. The table calls in with a shard
/// lock held, so writing must never wait: a full buffer drops its oldest change and the watcher learns
/// how many it missed (<see cref="EntryChange.Missed"/>) with the next one it reads.
/// </summary>
internal sealed class ChangeFeed : IStickTableObserver
{
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private Watcher[] _watchers = [];

    public ChangeFeed(int capacity)
    {
        _capacity = capacity;
    }

    public void OnEntryChanged(StickTable table, ReadOnlySpan<byte> key, EntryValues values, uint expireMs)
    {
        Publish(table, key, EntryChangeKind.Changed);
    }

    public void OnEntryRemoved(StickTable table, ReadOnlySpan<byte> key)
    {
        Publish(table, key, EntryChangeKind.Removed);
    }

    public async IAsyncEnumerable<EntryChange> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var watcher = new Watcher(_capacity);
        lock (_gate)
        {
            _watchers = [.. _watchers, watcher];
        }

        try
        {
            await foreach (var change in watcher.Channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var missed = Interlocked.Exchange(ref watcher.Dropped, 0);
                yield return missed == 0 ? change : change with { Missed = missed };
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers = [.. _watchers.Where(w => w != watcher)];
            }
        }
    }

    /// <summary>Ends every watcher's enumeration (the node stopped).</summary>
    public void Complete()
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Channel.Writer.TryComplete();
            }
        }
    }

    private void Publish(StickTable table, ReadOnlySpan<byte> key, EntryChangeKind kind)
    {
        var watchers = Volatile.Read(ref _watchers);
        if (watchers.Length == 0)
        {
            return;
        }

        var change = new EntryChange(table.Name, StickKeyText.Format(table.KeyType, key), kind, 0);
        foreach (var watcher in watchers)
        {
            watcher.Channel.Writer.TryWrite(change);
        }
    }

    private sealed class Watcher
    {
        public long Dropped;

        public Watcher(int capacity)
        {
            Channel = System.Threading.Channels.Channel.CreateBounded<EntryChange>(
                new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
                _ => Interlocked.Increment(ref Dropped));
        }

        public Channel<EntryChange> Channel { get; }
    }
}
