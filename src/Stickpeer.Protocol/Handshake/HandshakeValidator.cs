// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;

namespace Stickpeer.Protocol.Handshake;

/// <summary>
/// The acceptor's checks of a hello, in HAProxy's order: identifier (501), version (502),
/// target name (503), sender name (501 without a space, 504 when unknown), local peer busy (300).
/// </summary>
public static class HandshakeValidator
{
    /// <summary>Supported protocol major version.</summary>
    public const int Major = 2;

    /// <summary>Highest supported minor version.</summary>
    public const int Minor = 1;

    /// <summary>Decides the status for <paramref name="hello"/>.</summary>
    /// <param name="hello">The received hello.</param>
    /// <param name="localPeerName">Our local peer name (line 2 must equal it byte for byte).</param>
    /// <param name="lookupPeer">Tells what the connector's name refers to in our configuration; only called after the earlier checks pass.</param>
    public static HandshakeResult Validate(PeerHello hello, string localPeerName, Func<string, HandshakePeerState> lookupPeer)
    {
        ArgumentNullException.ThrowIfNull(hello);
        ArgumentNullException.ThrowIfNull(localPeerName);
        ArgumentNullException.ThrowIfNull(lookupPeer);
        if (!hello.HasIdentifier)
        {
            return new HandshakeResult(HandshakeStatus.ProtocolError, null, HandshakePeerState.Unknown, -1);
        }

        if (!hello.TryGetVersion(out var major, out var minor) || major != Major || minor > Minor)
        {
            return new HandshakeResult(HandshakeStatus.BadVersion, null, HandshakePeerState.Unknown, -1);
        }

        if (!hello.TargetNameLine.SequenceEqual(Encoding.UTF8.GetBytes(localPeerName)))
        {
            return new HandshakeResult(HandshakeStatus.WrongHost, null, HandshakePeerState.Unknown, minor);
        }

        if (hello.SenderName is not { } name)
        {
            return new HandshakeResult(HandshakeStatus.ProtocolError, null, HandshakePeerState.Unknown, minor);
        }

        var state = lookupPeer(name);
        var status = state switch
        {
            HandshakePeerState.Unknown => HandshakeStatus.UnknownPeer,
            HandshakePeerState.LocalBusy => HandshakeStatus.TryAgain,
            _ => HandshakeStatus.Success,
        };
        return new HandshakeResult(status, name, state, minor);
    }
}
