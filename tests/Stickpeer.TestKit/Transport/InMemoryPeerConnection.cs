// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.IO.Pipelines;
using Stickpeer.Node.Transport;

namespace Stickpeer.TestKit.Transport;

/// <summary>One end of an in-memory connection: reads one pipe, writes the other.</summary>
internal sealed class InMemoryPeerConnection : PeerTransportConnection
{
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private int _closed;

    public InMemoryPeerConnection(PipeReader input, PipeWriter output, string remote)
    {
        _input = input;
        _output = output;
        Remote = remote;
        Stream = new DuplexPipeStream(input, output);
    }

    public override Stream Stream { get; }

    public override string Remote { get; }

    protected override async ValueTask CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        // Completing our writer gives the other end end-of-stream; completing our reader makes the
        // other end's next write fail, as a reset socket would.
        await _output.CompleteAsync();
        await _input.CompleteAsync();
    }
}
