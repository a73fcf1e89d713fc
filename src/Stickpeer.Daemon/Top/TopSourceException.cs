// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Daemon.Top;

/// <summary>A node could not be read by an <see cref="ITopSource"/>; the message says why.</summary>
public sealed class TopSourceException : Exception
{
    public TopSourceException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    public TopSourceException()
    {
    }

    public TopSourceException(string message)
        : base(message)
    {
    }
}
