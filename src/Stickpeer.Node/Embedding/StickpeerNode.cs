// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Node.Composition;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Diagnostics;

namespace Stickpeer.Node.Embedding;

/// <summary>
/// A Stickpeer peer inside any .NET process: built from <see cref="StickpeerOptions"/> (nothing is bound
/// until <see cref="StartAsync"/>), it replicates its tables with HAProxy and other nodes like the daemon
/// does. No static state: a process may run several nodes. Hosted applications use
/// <c>services.AddStickpeer(…)</c> instead, which runs one as an <c>IHostedService</c>.
/// </summary>
public sealed class StickpeerNode : IAsyncDisposable
{
    private readonly Transport.StickpeerNode _node;
    private readonly ChangeFeed _changes;
    private readonly NodeMetrics? _metrics;
    private readonly TimeSpan _shutdownTimeout;
    private int _state; // 0 built, 1 started, 2 stopped

    /// <summary>Validates the options, reads the configuration and builds the node (binds nothing yet).</summary>
    /// <param name="options">What to run.</param>
    /// <param name="time">The clock (default: the system clock).</param>
    /// <param name="loggers">Where logs go (default: nowhere).</param>
    /// <param name="meters">Where metrics are created (meters <c>Stickpeer.Node</c>, <c>Stickpeer.Node.Transport</c> and <c>Stickpeer.Tables</c>); null: per-peer node metrics are off.</param>
    /// <exception cref="StickpeerOptionsException">The options are not usable (every problem listed).</exception>
    /// <exception cref="ConfigurationException">The configuration (file, text or tables declared in code) is wrong; the message names <c>file:line</c>.</exception>
    public StickpeerNode(StickpeerOptions options, TimeProvider? time = null, ILoggerFactory? loggers = null, IMeterFactory? meters = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new StickpeerOptionsException(errors);
        }

        time ??= TimeProvider.System;
        loggers ??= NullLoggerFactory.Instance;
        Configuration = ReadConfiguration(options);
        _shutdownTimeout = options.ShutdownTimeout;
        var built = NodeBuilder.Build(Configuration, time, loggers, meters);
        _node = built.Node;
        _changes = new ChangeFeed(options.ChangeBufferCapacity);
        foreach (var table in built.Tables)
        {
            // Built without persistence, so no observer is set yet: the feed is the only one.
            table.Observer = _changes;
        }

        Tables = new StickpeerTableCollection([.. built.Tables.Select(t => new StickpeerTable(t, _node.Host))]);
        _metrics = meters is null ? null : new NodeMetrics(_node, meters, time: time);
    }

    /// <summary>The configuration the node runs (as parsed; warnings in <see cref="StickpeerConfiguration.Warnings"/>).</summary>
    public StickpeerConfiguration Configuration { get; }

    /// <summary>This node's peer name.</summary>
    public string LocalPeerName => Configuration.LocalPeerName;

    /// <summary>The tables.</summary>
    public StickpeerTableCollection Tables { get; }

    /// <summary>Where each peers section listens once started (section name → address).</summary>
    public IReadOnlyDictionary<string, IPEndPoint> ListenEndpoints => _node.Host.ListenEndpoints;

    /// <summary>Binds the listeners and starts connecting to the peers.</summary>
    /// <exception cref="InvalidOperationException">A listener cannot bind (the message names the section and address), or the node was started before.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("a StickpeerNode starts once");
        }

        _node.Start();
        return Task.CompletedTask;
    }

    /// <summary>Stops: listeners close, queued updates are sent (up to <see cref="StickpeerOptions.ShutdownTimeout"/>), sessions close, watchers end.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, 2) == 1)
        {
            await _node.StopAsync(_shutdownTimeout).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        _changes.Complete();
    }

    /// <summary>
    /// Every change of every table from now on (local writes, and updates learned from peers), until the node
    /// stops or <paramref name="cancellationToken"/> fires. Each call is an independent consumer with a buffer
    /// of <see cref="StickpeerOptions.ChangeBufferCapacity"/> changes: a consumer that falls further behind loses
    /// the oldest (replication never waits for it) and is told how many in <see cref="EntryChange.Missed"/>.
    /// </summary>
    public IAsyncEnumerable<EntryChange> WatchAsync(CancellationToken cancellationToken = default) => _changes.WatchAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _metrics?.Dispose();
        await _node.DisposeAsync().ConfigureAwait(false);
    }

    private static StickpeerConfiguration ReadConfiguration(StickpeerOptions options)
    {
        var parser = new ConfigParser();
        if (options.ConfigFile is { } file)
        {
            parser.ParseFile(file);
        }
        else
        {
            parser.ParseText(options.ConfigText is null ? StickpeerOptionsValidator.CodeSourceName : "StickpeerOptions.ConfigText", options.ConfigText ?? StickpeerOptionsValidator.ToConfigText(options));
        }

        var configuration = parser.Build(options.LocalPeerName, Environment.MachineName);
        return configuration.PeersSections.Any(s => !s.Disabled)
            ? configuration
            : throw new ConfigurationException($"{options.ConfigFile ?? "StickpeerOptions.ConfigText"}: no enabled 'peers' section: nothing to run");
    }
}
