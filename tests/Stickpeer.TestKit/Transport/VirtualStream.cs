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
            var wakes = owner.Output.ReaderWaiting && n > 0;
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
            else if (wakes)
            {
                // A reader on another thread would start on these bytes now: let it run (its
                // continuation is queued) before this writer produces more. Without this, under one
                // thread a writer with room in the window runs ahead until the window is full, e.g. a
                // node pushing 1 MiB of updates to a peer that is about to ask for a lesson instead.
                await Task.Yield();
            }

            rest = rest[n..];
        }
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
