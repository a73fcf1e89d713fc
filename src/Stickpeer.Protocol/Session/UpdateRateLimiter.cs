// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Session;

/// <summary>
/// Token bucket for the updates one session may send us: <c>rate</c> tokens a second, at most
/// <c>burst</c> saved up. The clock is read only when the bucket runs dry, so a session under
/// its budget costs one decrement per update and no clock read.
/// </summary>
internal sealed class UpdateRateLimiter
{
    private readonly TimeProvider _time;
    private readonly double _rate;
    private readonly double _burst;
    private double _tokens;
    private long _refilledAt;

    /// <summary>A bucket that starts full.</summary>
    public UpdateRateLimiter(int ratePerSecond, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        _time = time;
        _rate = ratePerSecond;
        _burst = Math.Max(burst, 1);
        _tokens = _burst;
        _refilledAt = time.GetTimestamp();
    }

    /// <summary>Takes one token; false when none is left even after adding those earned since the last refill.</summary>
    public bool TryTake()
    {
        if (_tokens >= 1)
        {
            _tokens--;
            return true;
        }

        var now = _time.GetTimestamp();
        var earned = _time.GetElapsedTime(_refilledAt, now).TotalSeconds * _rate;
        _refilledAt = now;
        _tokens = Math.Min(_burst, _tokens + earned);
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }
}
