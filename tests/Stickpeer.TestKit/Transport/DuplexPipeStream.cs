// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.IO.Pipelines;

namespace Stickpeer.TestKit.Transport;

/// <summary>A <see cref="Stream"/> reading one pipe and writing another (what a socket stream is to a host).</summary>
internal sealed class DuplexPipeStream : AsyncDuplexStream
{
    private readonly Stream _reads;
    private readonly Stream _writes;

    public DuplexPipeStream(PipeReader input, PipeWriter output)
    {
        _reads = input.AsStream(leaveOpen: true);
        _writes = output.AsStream(leaveOpen: true);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _reads.ReadAsync(buffer, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _writes.WriteAsync(buffer, cancellationToken);

    public override void Flush() => _writes.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _writes.FlushAsync(cancellationToken);
}
