// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.TestKit.Transport;

/// <summary>
/// Faults of an <see cref="InMemoryPeerTransport"/>, by peer name (the connecting section's local
/// peer and the peer it reaches): refused connections, output held back, links cut after a number
/// of bytes, small reads. The connection streams consult it on every read and write.
/// </summary>
public sealed class LinkFaults
{
    private readonly Lock _lock = new();
    private readonly HashSet<(string, string)> _blocked = [];
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), long> _holdAfter = [];
    private readonly Dictionary<(string, string), long> _cutAfter = [];
    private readonly Dictionary<string, List<TaskCompletionSource>> _released = new(StringComparer.Ordinal);

    /// <summary>Sees every byte written on any link, in order: the writer, the reader and the bytes (for wire assertions and replay checks).</summary>
    public Action<string, string, ReadOnlyMemory<byte>>? Wire { get; set; }

    /// <summary>Largest number of bytes a read returns (default: whatever is there).</summary>
    public int MaxChunk { get; set; } = int.MaxValue;

    /// <summary>Refuses new connections between two peers (both directions) until <see cref="Unblock"/>.</summary>
    public void Block(string a, string b)
    {
        lock (_lock)
        {
            _blocked.Add((a, b));
            _blocked.Add((b, a));
        }
    }

    /// <summary>Allows connections between two peers again.</summary>
    public void Unblock(string a, string b)
    {
        lock (_lock)
        {
            _blocked.Remove((a, b));
            _blocked.Remove((b, a));
        }
    }

    /// <summary>Writes by <paramref name="node"/> wait (its output stays with its host) until <see cref="Release"/>.</summary>
    public void Hold(string node)
    {
        lock (_lock)
        {
            _held.Add(node);
        }
    }

    /// <summary>Lets at most <paramref name="bytes"/> more bytes go from <paramref name="from"/> to <paramref name="to"/>, then holds the rest until <see cref="Release"/>.</summary>
    public void HoldAfter(string from, string to, long bytes)
    {
        lock (_lock)
        {
            _holdAfter[(from, to)] = bytes;
        }
    }

    /// <summary>Lets <paramref name="node"/>'s output go again (both <see cref="Hold"/> and <see cref="HoldAfter"/>).</summary>
    public void Release(string node)
    {
        List<TaskCompletionSource>? waiters;
        lock (_lock)
        {
            _held.Remove(node);
            foreach (var key in _holdAfter.Keys.Where(k => k.Item1 == node).ToArray())
            {
                _holdAfter.Remove(key);
            }

            _released.Remove(node, out waiters);
        }

        foreach (var waiter in waiters ?? [])
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>
    /// Cuts the next link from <paramref name="from"/> to <paramref name="to"/> once <paramref name="bytes"/>
    /// bytes went that way on it: the peer reads those bytes, then the end of the stream (one shot).
    /// </summary>
    public void CutAfter(string from, string to, long bytes)
    {
        lock (_lock)
        {
            _cutAfter[(from, to)] = bytes;
        }
    }

    internal bool IsBlocked(string from, string to)
    {
        lock (_lock)
        {
            return _blocked.Contains((from, to));
        }
    }

    /// <summary>
    /// How many of <paramref name="wanted"/> bytes may go now (0: held, wait for <see cref="WhenReleasedAsync"/>)
    /// and whether the link is cut right after them.
    /// </summary>
    internal (int Bytes, bool CutAfter) Take(string from, string to, int wanted)
    {
        lock (_lock)
        {
            var n = wanted;
            if (_held.Contains(from))
            {
                return (0, false);
            }

            if (_holdAfter.TryGetValue((from, to), out var allowance))
            {
                n = (int)Math.Min(n, allowance);
                _holdAfter[(from, to)] = allowance - n;
                if (n == 0)
                {
                    return (0, false);
                }
            }

            if (_cutAfter.TryGetValue((from, to), out var budget))
            {
                if (budget < n)
                {
                    _cutAfter.Remove((from, to));
                    return ((int)budget, true);
                }

                _cutAfter[(from, to)] = budget - n;
            }

            return (n, false);
        }
    }

    /// <summary>Completes when <paramref name="node"/> is released (cancelled with <paramref name="cancellationToken"/>).</summary>
    internal async Task WhenReleasedAsync(string node, CancellationToken cancellationToken)
    {
        // Its own source per waiter, awaited directly: it resumes on the waiter's context (a
        // Task.WaitAsync(token) would resume on the thread pool).
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (!_held.Contains(node) && !_holdAfter.Keys.Any(k => k.Item1 == node))
            {
                return; // released between Take and this call
            }

            if (!_released.TryGetValue(node, out var waiters))
            {
                _released[node] = waiters = [];
            }

            waiters.Add(released);
        }

        using var registration = cancellationToken.Register(() => released.TrySetCanceled(cancellationToken));
        await released.Task;
    }
}
