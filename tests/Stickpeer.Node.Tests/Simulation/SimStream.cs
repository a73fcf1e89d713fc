// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Threading.Tasks.Sources;
using Stickpeer.TestKit.Transport;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// A process's view of one <see cref="SimEndpoint"/>: reads take from its socket buffer (a waiting
/// read completes when the network delivers, a slow reader's after its delay), writes go through the
/// network's window, cuts and latency (<see cref="Simulation"/>'s pipes). A waiting read completes
/// inline (an <see cref="IValueTaskSource{TResult}"/> without forced asynchrony): a
/// <c>ConfigureAwait(false)</c> caller such as the host's stream pipe reader resumes right there, on
/// the simulation's thread, and any other caller on the context it awaited on — never on the thread pool.
/// </summary>
internal sealed class SimStream : AsyncDuplexStream, IValueTaskSource<int>
{
    private readonly Simulation _sim;
    private ManualResetValueTaskSourceCore<int> _read;
    private Memory<byte> _readBuffer;
    private CancellationTokenRegistration _readCancel;

    public SimStream(Simulation sim, SimEndpoint endpoint)
    {
        _sim = sim;
        Endpoint = endpoint;
    }

    public SimEndpoint Endpoint { get; }

    /// <summary>The read the process waits in wants bytes (false: a zero-byte read, waiting for data only).</summary>
    public bool PendingWantsBytes => !_readBuffer.IsEmpty;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Endpoint.ReadPending)
        {
            throw new InvalidOperationException("one read at a time");
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (_sim.TryReadNow(Endpoint, buffer.Span, out var n))
        {
            return new ValueTask<int>(n);
        }

        _read.Reset();
        Endpoint.ReadPending = true;
        _readBuffer = buffer;
        _readCancel = cancellationToken.Register(static s => ((SimStream)s!).Fail(new OperationCanceledException("read cancelled")), this);
        _sim.WaitForData(Endpoint);
        return new ValueTask<int>(this, _read.Version);
    }

    /// <summary>Completes the waiting read with what <paramref name="take"/> puts into its buffer.</summary>
    public void Complete(Func<Span<byte>, int> take)
    {
        if (!Endpoint.ReadPending)
        {
            return;
        }

        Endpoint.ReadPending = false;
        _readCancel.Dispose();
        var n = take(_readBuffer.Span);
        _readBuffer = default;
        _read.SetResult(n);
    }

    /// <summary>Fails the waiting read (reset, cancellation).</summary>
    public void Fail(Exception error)
    {
        if (!Endpoint.ReadPending)
        {
            return;
        }

        Endpoint.ReadPending = false;
        _readBuffer = default;
        _read.SetException(error);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _sim.WriteAsync(Endpoint, buffer, cancellationToken);

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    int IValueTaskSource<int>.GetResult(short token) => _read.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _read.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _read.OnCompleted(continuation, state, token, flags);
}
