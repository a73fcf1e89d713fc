// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Session;

/// <summary>The transition table of <see cref="PeerSessionState"/>.</summary>
public static class PeerSessionStates
{
    /// <summary>True when a session may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool IsAllowed(PeerSessionState from, PeerSessionState to) => (from, to) switch
    {
        (PeerSessionState.Created, PeerSessionState.AwaitingStatus) => true,
        (PeerSessionState.Created, PeerSessionState.AwaitingHello) => true,
        (PeerSessionState.AwaitingStatus, PeerSessionState.Established) => true,
        (PeerSessionState.AwaitingHello, PeerSessionState.Established) => true,
        (_, PeerSessionState.Closing) => from is not (PeerSessionState.Closing or PeerSessionState.Closed),
        (_, PeerSessionState.Closed) => from is not PeerSessionState.Closed,
        _ => false,
    };

    /// <summary>True while the session can still send and receive messages.</summary>
    public static bool IsOpen(PeerSessionState state) =>
        state is PeerSessionState.Created or PeerSessionState.AwaitingStatus or PeerSessionState.AwaitingHello or PeerSessionState.Established;
}
