// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Diagnostics;

/// <summary>
/// Lets one log line through per interval for an event whose pace a remote client sets
/// (refused connections, failed TLS handshakes), and counts the occurrences it held back so the
/// next line can say how many there were. A flood of bad clients must not flood the log too;
/// the metrics still count every occurrence. Thread-safe: listener tasks call it concurrently.
/// </summary>
internal sealed class RepeatLimiter(TimeSpan interval, TimeProvider time)
{
    private readonly Lock _lock = new();
    private DateTimeOffset _lastLogged = DateTimeOffset.MinValue;
    private int _heldBack;

    /// <summary>The interval between two logged occurrences.</summary>
    public TimeSpan Interval => interval;

    /// <summary>
    /// Records one occurrence. True when it should be logged at its usual level; then
    /// <paramref name="heldBack"/> is the number of occurrences not logged since the previous one.
    /// </summary>
    public bool ShouldLog(out int heldBack)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (now - _lastLogged < interval)
            {
                _heldBack++;
                heldBack = 0;
                return false;
            }

            heldBack = _heldBack;
            _heldBack = 0;
            _lastLogged = now;
            return true;
        }
    }
}
