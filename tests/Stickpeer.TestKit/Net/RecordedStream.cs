// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.TestKit.Net;

/// <summary>
/// The bytes of one direction of a relayed connection, as timestamped chunks. Recording is
/// bounded: past <see cref="MaxBytes"/> bytes are still forwarded but no longer kept
/// (<see cref="Truncated"/> becomes true).
/// </summary>
public sealed class RecordedStream
{
    private readonly List<RecordedChunk> _chunks = [];
    private readonly Lock _gate = new();
    private long _recorded;
    private long _total;

    internal RecordedStream(string direction, long maxBytes)
    {
        Direction = direction;
        MaxBytes = maxBytes;
    }

    /// <summary><c>client-&gt;server</c> or <c>server-&gt;client</c>.</summary>
    public string Direction { get; }

    /// <summary>Most bytes kept.</summary>
    public long MaxBytes { get; }

    /// <summary>True when bytes past <see cref="MaxBytes"/> were dropped from the recording.</summary>
    public bool Truncated { get; private set; }

    /// <summary>All bytes forwarded in this direction (recorded or not).</summary>
    public long TotalBytes
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>A snapshot of the recorded chunks.</summary>
    public IReadOnlyList<RecordedChunk> Chunks
    {
        get
        {
            lock (_gate)
            {
                return _chunks.ToArray();
            }
        }
    }

    /// <summary>All recorded bytes, concatenated.</summary>
    public byte[] ToArray()
    {
        lock (_gate)
        {
            var result = new byte[_recorded];
            var at = 0;
            foreach (var chunk in _chunks)
            {
                chunk.Data.Span.CopyTo(result.AsSpan(at));
                at += chunk.Data.Length;
            }

            return result;
        }
    }

    internal void Add(DateTimeOffset at, ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            var keep = (int)Math.Min(data.Length, MaxBytes - _recorded);
            if (keep > 0)
            {
                _chunks.Add(new RecordedChunk(at, _recorded, data[..keep].ToArray()));
                _recorded += keep;
            }

            if (keep < data.Length)
            {
                Truncated = true;
            }

            _total += data.Length;
        }
    }
}
