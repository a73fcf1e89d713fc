// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Replication;
using Stickpeer.Node.Transport.Sockets;

namespace Stickpeer.Node.Transport;

/// <summary>
/// Runs the <see cref="PeerNode"/>s of a configuration's peers sections over an
/// <see cref="IPeerTransport"/> (sockets unless told otherwise): one listener per section,
/// outbound connections as each node asks, a periodic tick, and one lock that serialises every
/// call into the nodes (and into tables, through <see cref="Invoke{T}"/>). See "Transport and
/// threading" in docs/architecture.md.
/// </summary>
/// <remarks>
/// The host starts no thread and hops to no thread on its own: its loops are async methods that
/// resume on the <see cref="SynchronizationContext"/> they were started under (the thread pool when
/// there is none), and its timers come from its <see cref="TimeProvider"/>. Started under a
/// single-threaded context with a virtual clock, it runs deterministically: that is how the
/// simulation and the in-memory network of the tests run it (TestKit's <c>DeterministicContext</c>).
/// </remarks>
public sealed class NodeHost : IAsyncDisposable
{
    private readonly List<SectionRuntime> _sections = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Task> _tasks = [];
    private readonly TimeProvider _time;
    private readonly TimeSpan _tickInterval;
    private readonly IPeerTransport _transport;
    private readonly bool _ownsTransport;
    private readonly Action? _sweep;
    private Task _tickLoop = Task.CompletedTask;
    private DateTimeOffset _nextSweep;
    private bool _disposed;

    // Nesting depth of Invoke on the thread holding Gate (only that thread touches it).
    private int _invokeDepth;

    /// <summary>Builds the host; <paramref name="transport"/> null means TCP/TLS sockets, owned and disposed by the host.</summary>
    public NodeHost(
        IEnumerable<(PeersSectionDefinition Section, PeerNode Node)> sections,
        TimeProvider? time = null,
        ILogger? logger = null,
        TransportMetrics? metrics = null,
        TimeSpan? tickInterval = null,
        IPeerTransport? transport = null,
        Action? sweep = null)
    {
        ArgumentNullException.ThrowIfNull(sections);
        _time = time ?? TimeProvider.System;
        Logger = logger ?? NullLogger.Instance;
        Metrics = metrics ?? TransportMetrics.Shared;
        _tickInterval = tickInterval ?? TimeSpan.FromMilliseconds(100);
        _sweep = sweep;
        _ownsTransport = transport is null;
        _transport = transport ?? new SocketPeerTransport(Logger, Metrics, _time);
        foreach (var (section, node) in sections)
        {
            _sections.Add(new SectionRuntime(this, _transport, section, node));
        }
    }

    /// <summary>How often the host runs the sweep of expired entries it was given.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Holds peer output back until the changes it depends on are durable (set before
    /// <see cref="Start"/>; <see cref="Composition.NodeBuilder"/> sets it when persistence is on).
    /// </summary>
    public IOutputGate? OutputGate { get; set; }

    /// <summary>The lock every call into a node or a table must hold.</summary>
    public object Gate { get; } = new();

    public ILogger Logger { get; }

    public TransportMetrics Metrics { get; }

    internal CancellationToken Stopping => _stopping.Token;

    /// <summary>The host's clock (its tick and the connections' close deadlines are its timers).</summary>
    internal TimeProvider Time => _time;

    internal bool IsStopping => _stopping.IsCancellationRequested;

    /// <summary>Where each section listens, once started (section name → endpoint; IP endpoints only).</summary>
    public IReadOnlyDictionary<string, IPEndPoint> ListenEndpoints =>
        _sections.Where(s => s.ListenEndpoint is IPEndPoint).ToDictionary(s => s.Name, s => (IPEndPoint)s.ListenEndpoint!, StringComparer.Ordinal);

    /// <summary>Binds every listener (throws on failure, e.g. address in use) and starts the tick.</summary>
    public void Start()
    {
        foreach (var section in _sections)
        {
            try
            {
                section.StartListening();
            }
            catch (PeerTransportException ex)
            {
                TransportLog.ListenerFailed(Logger, section.Name, section.Definition.Listener.Address.ToString(), ex.Message);
                throw new InvalidOperationException($"peers section '{section.Name}': cannot listen on {section.Definition.Listener.Address}: {ex.Message}", ex);
            }
        }

        lock (Gate)
        {
            foreach (var section in _sections)
            {
                section.Node.Tick();
                section.AfterNodeCall();
            }
        }

        _tickLoop = TickLoopAsync();
    }

    /// <summary>
    /// Runs <paramref name="action"/> under the node lock, then lets every node push what changed
    /// (use it for CLI reads and writes of tables and state snapshots). Calls may nest: only the
    /// outermost one pushes, so a batch of CLI lines run inside one call is pushed once.
    /// </summary>
    public T Invoke<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (Gate)
        {
            T result;
            _invokeDepth++;
            try
            {
                result = action();
            }
            finally
            {
                _invokeDepth--;
            }

            if (_invokeDepth == 0)
            {
                foreach (var section in _sections)
                {
                    section.Node.Flush();
                    section.AfterNodeCall();
                }
            }

            return result;
        }
    }

    /// <summary>
    /// Stops accepting on every section; sessions stay up. The old process of a reload does this first,
    /// so the new one can bind the peers addresses (listeners are exclusive, never shared).
    /// </summary>
    public async Task StopListeningAsync()
    {
        foreach (var section in _sections)
        {
            await section.StopListeningAsync();
        }
    }

    /// <summary>Graceful stop: stop accepting, let nodes flush, drain and close every session.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        foreach (var section in _sections)
        {
            await section.StopListeningAsync();
        }

        Task[] pending;
        lock (Gate)
        {
            var count = 0;
            foreach (var section in _sections)
            {
                section.Node.Flush();
                section.AfterNodeCall();
                count += section.ConnectionCount;
                section.CloseAll("stopping");
            }

            TransportLog.Stopping(Logger, count);
            pending = [.. _tasks];
        }

        // Cancel, not CancelAsync: the callbacks (accept loops, connects) run here, not on the thread pool.
#pragma warning disable VSTHRD103 // The callbacks only wake the host's own loops.
        _stopping.Cancel();
#pragma warning restore VSTHRD103
        var all = Task.WhenAll(pending.Append(_tickLoop));
        if (await Task.WhenAny(all, Task.Delay(timeout, _time)) != all)
        {
            lock (Gate)
            {
                foreach (var section in _sections)
                {
                    section.AbortAll();
                }
            }
        }

        try
        {
            await all.WaitAsync(TimeSpan.FromSeconds(2), _time);
        }
        catch (TimeoutException)
        {
            // Best effort: the process is exiting.
        }
    }

    internal void Track(Task task)
    {
        lock (Gate)
        {
            _tasks.Add(task);
        }

        _ = task.ContinueWith(
            t =>
            {
                if (t.Exception is { } ex)
                {
                    TransportLog.LoopError(Logger, ex, "connection task");
                }

                lock (Gate)
                {
                    _tasks.Remove(t);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Runs the sweep of expired entries once per <see cref="SweepInterval"/> (under the lock).</summary>
    private void SweepIfDue()
    {
        var now = _time.GetUtcNow();
        if (_sweep is null || now < _nextSweep)
        {
            return;
        }

        _nextSweep = now + SweepInterval;
        try
        {
            _sweep();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            TransportLog.LoopError(Logger, ex, "table sweep");
        }
    }

    private async Task TickLoopAsync()
    {
        using var timer = new PeriodicTimer(_tickInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                lock (Gate)
                {
                    foreach (var section in _sections)
                    {
                        try
                        {
                            section.Node.Tick();
                            section.AfterNodeCall();
                        }
                        catch (Exception ex)
                        {
                            TransportLog.LoopError(Logger, ex, "tick of section " + section.Name);
                        }
                    }

                    SweepIfDue();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await StopAsync(TimeSpan.FromSeconds(3));
        if (_ownsTransport && _transport is IDisposable disposable)
        {
            disposable.Dispose();
        }

        _stopping.Dispose();
    }
}
