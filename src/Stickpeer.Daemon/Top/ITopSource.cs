// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Daemon.Top;

/// <summary>Where <c>stickpeer top</c> and <c>wait-ready</c> read a node from.</summary>
public interface ITopSource : IAsyncDisposable
{
    /// <summary>Human-readable origin for error messages (<c>http://…/api</c>, the socket path).</summary>
    string Origin { get; }

    /// <summary>Reads one sample.</summary>
    /// <exception cref="TopSourceException">The node cannot be read or answered something unreadable.</exception>
    Task<TopSample> ReadAsync(CancellationToken cancellationToken);
}
