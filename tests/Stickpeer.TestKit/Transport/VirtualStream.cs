// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.TestKit.Transport;

/// <summary>The host's view of a <see cref="VirtualConnection"/>: a duplex stream whose writes pass the <see cref="LinkFaults"/>.</summary>
internal sealed class VirtualStream(VirtualConnection owner, LinkFaults faults) : AsyncDuplexStream
{
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        owner.Input.ReadAsync(buffer, faults.MaxChunk, cancellationToken);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var rest = buffer;
        while (!rest.IsEmpty)
        {
            if (owner.IsCut || owner.IsClosed)
            {
                throw new IOException("connection cut (in memory)");
            }

            var (n, cut) = faults.Take(owner.Link.From, owner.Link.To, rest.Length);
            if (n == 0 && !cut)
            {
                await faults.WhenReleasedAsync(owner.Link.From, cancellationToken);
                continue;
            }

            faults.Wire?.Invoke(owner.Link.From, owner.Link.To, rest[..n]);
            var room = owner.Output.Write(rest.Span[..n]);
            if (cut)
            {
                owner.Cut();
                throw new IOException("connection cut after the bytes allowed (in memory)");
            }

            if (!room.IsCompleted)
            {
                // Awaited directly, not through WaitAsync(token), which would resume on the thread pool.
                using var registration = cancellationToken.Register(owner.Output.CancelWrite);
                await room;
            }

            rest = rest[n..];
        }
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
