// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.IO.Pipelines;

namespace Stickpeer.TestKit.Transport;

/// <summary>A <see cref="Stream"/> reading one pipe and writing another (what a socket stream is to a host).</summary>
internal sealed class DuplexPipeStream : Stream
{
    private readonly Stream _reads;
    private readonly Stream _writes;

    public DuplexPipeStream(PipeReader input, PipeWriter output)
    {
        _reads = input.AsStream(leaveOpen: true);
        _writes = output.AsStream(leaveOpen: true);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => _reads.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _reads.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _reads.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _writes.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _writes.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _writes.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Flush() => _writes.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _writes.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
