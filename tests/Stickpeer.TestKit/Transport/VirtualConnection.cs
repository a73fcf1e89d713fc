// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Transport;

namespace Stickpeer.TestKit.Transport;

/// <summary>One end of a <see cref="VirtualPeerTransport"/> link: reads one <see cref="VirtualDirection"/>, writes the other through the <see cref="LinkFaults"/>.</summary>
internal sealed class VirtualConnection : PeerTransportConnection
{
    public VirtualConnection(VirtualDirection input, VirtualDirection output, string from, string to, bool isConnector, LinkFaults faults)
    {
        Input = input;
        Output = output;
        Link = (from, to);
        IsConnector = isConnector;
        Stream = new VirtualStream(this, faults);
    }

    public VirtualDirection Input { get; }

    public VirtualDirection Output { get; }

    /// <summary>Who writes on this end, and who reads it (peer names).</summary>
    public (string From, string To) Link { get; }

    public bool IsConnector { get; }

    /// <summary>The other end of the link.</summary>
    public VirtualConnection? Peer { get; set; }

    public bool IsClosed { get; private set; }

    /// <summary>The link was cut: both ends read what was sent, then the end of the stream; writes fail.</summary>
    public bool IsCut { get; private set; }

    public override Stream Stream { get; }

    public override string Remote => Link.To;

    /// <summary>Cuts the link (both ends).</summary>
    public void Cut()
    {
        foreach (var end in new[] { this, Peer })
        {
            if (end is { IsCut: false })
            {
                end.IsCut = true;
                end.Output.End();
            }
        }
    }

    protected override ValueTask CloseAsync()
    {
        if (!IsClosed)
        {
            // Our FIN reaches the peer after the bytes already sent; the peer's later writes fail.
            IsClosed = true;
            if (!Output.Ended)
            {
                Output.End();
            }

            Input.CloseReader();
        }

        return ValueTask.CompletedTask;
    }
}
