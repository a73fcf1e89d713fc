// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Transport;

/// <summary>
/// Holds back output until what it depends on is durable: a peer connection's bytes (ACKs above
/// all) are written only once every change applied before they were produced is synced to disk
/// (<c>fsync always</c>) or handed to the kernel (the other policies).
/// </summary>
public interface IOutputGate
{
    /// <summary>The position that covers every change made so far (read after output was copied out).</summary>
    long Position { get; }

    /// <summary>Completes once everything up to <paramref name="position"/> is durable.</summary>
    ValueTask WaitAsync(long position, CancellationToken cancellationToken);
}
