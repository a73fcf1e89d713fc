// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;

namespace Stickpeer.TestKit.Haproxy;

/// <summary>Keeps the last lines written by a process (bounded), for failure messages.</summary>
public sealed class BoundedLog
{
    private readonly Queue<string> _lines = new();
    private readonly int _maxLines;
    private readonly Lock _gate = new();

    /// <summary>Creates a log keeping at most <paramref name="maxLines"/> lines.</summary>
    public BoundedLog(int maxLines = 500) => _maxLines = maxLines;

    /// <summary>Adds one line.</summary>
    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue(line);
            while (_lines.Count > _maxLines)
            {
                _lines.Dequeue();
            }
        }
    }

    /// <summary>All kept lines.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            var sb = new StringBuilder();
            foreach (var line in _lines)
            {
                sb.AppendLine(line);
            }

            return sb.ToString();
        }
    }
}
