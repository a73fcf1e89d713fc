// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.TestKit.Net;

/// <summary>
/// Holds one direction of a relayed connection at a byte count: the first
/// <see cref="HoldAfterBytes"/> bytes are forwarded, then forwarding stops (the sender's
/// bytes wait in the relay and in the socket buffers) until <see cref="Release"/>. While
/// held, one byte may be let through every <see cref="TrickleInterval"/> so that the receiver
/// still sees traffic and does not declare the sender dead (Stickpeer counts any byte;
/// HAProxy needs a whole message now and then). Arm it with
/// <see cref="RecordingRelay.ArmServerToClient"/> or <see cref="RecordingRelay.ArmClientToServer"/>.
/// </summary>
public sealed class RelayValve
{
    private readonly TaskCompletionSource<long> _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly long _holdAfterBytes;
    private long _forwarded;

    /// <summary>Creates a valve that holds after <paramref name="holdAfterBytes"/> bytes.</summary>
    public RelayValve(long holdAfterBytes, TimeSpan? trickleInterval = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(holdAfterBytes);
        _holdAfterBytes = holdAfterBytes;
        TrickleInterval = trickleInterval;
    }

    /// <summary>Creates a valve that holds right after the message <paramref name="cutPoint"/> picks (nothing is held until it has passed).</summary>
    public RelayValve(MessageCutPoint cutPoint)
    {
        CutPoint = cutPoint ?? throw new ArgumentNullException(nameof(cutPoint));
        _holdAfterBytes = long.MaxValue;
    }

    /// <summary>Bytes forwarded before the valve holds (for a message cut point: unknown, long.MaxValue, until the message passed).</summary>
    public long HoldAfterBytes => CutPoint?.CutAfter ?? _holdAfterBytes;

    /// <summary>The message the valve holds after, when it was built with one.</summary>
    public MessageCutPoint? CutPoint { get; }

    /// <summary>While held, one byte passes per interval (null: nothing passes).</summary>
    public TimeSpan? TrickleInterval { get; }

    /// <summary>Bytes forwarded so far in this direction (trickled bytes included).</summary>
    public long Forwarded
    {
        get
        {
            lock (_gate)
            {
                return _forwarded;
            }
        }
    }

    /// <summary>Completes, with the byte count, once the limit is reached and more bytes are waiting.</summary>
    public Task<long> Held => _held.Task;

    /// <summary>True after <see cref="Release"/>.</summary>
    public bool IsReleased => _released.Task.IsCompleted;

    /// <summary>Lets everything through from now on.</summary>
    public void Release() => _released.TrySetResult();

    /// <summary>
    /// Waits until at least one of <paramref name="wanted"/> bytes may be forwarded and returns
    /// how many may go now; the caller forwards them and calls <see cref="Forward"/>.
    /// </summary>
    internal async Task<int> AllowAsync(int wanted, CancellationToken cancellationToken)
    {
        while (true)
        {
            long room;
            lock (_gate)
            {
                room = _released.Task.IsCompleted ? wanted : HoldAfterBytes - _forwarded;
                if (room <= 0)
                {
                    _held.TrySetResult(_forwarded);
                }
            }

            if (room > 0)
            {
                return (int)Math.Min(room, wanted);
            }

            if (TrickleInterval is { } interval)
            {
                await Task.WhenAny(_released.Task, Task.Delay(interval, cancellationToken));
                if (!_released.Task.IsCompleted)
                {
                    return 1;
                }
            }
            else
            {
                await _released.Task.WaitAsync(cancellationToken);
            }
        }
    }

    /// <summary>Shows the valve bytes just read in this direction, before any of them is forwarded.</summary>
    internal void Inspect(ReadOnlySpan<byte> read) => CutPoint?.Feed(read);

    internal void Forward(int bytes)
    {
        lock (_gate)
        {
            _forwarded += bytes;
        }
    }
}
