// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Handshake;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.Protocol.Session;

/// <summary>
/// Receives what a <see cref="PeerSession"/> decodes. Called synchronously from
/// <see cref="PeerSession.Receive"/>, <see cref="PeerSession.Tick"/> and the other session
/// methods; a handler may call the session's send methods from inside a callback.
/// An exception thrown by a handler closes the session (<see cref="SessionCloseReason.InternalError"/>).
/// </summary>
public interface IPeerSessionHandler
{
    /// <summary>
    /// Acceptor only: the hello from <paramref name="peerName"/> passed the checks the session can
    /// make alone (501/502/503). Return the status to answer: <see cref="HandshakeStatus.Success"/>,
    /// <see cref="HandshakeStatus.TryAgain"/> or <see cref="HandshakeStatus.UnknownPeer"/>.
    /// <paramref name="versionMinor"/> 0 means the peer speaks 2.0 (no timed updates).
    /// </summary>
    HandshakeStatus OnHello(string peerName, int versionMinor);

    /// <summary>Status 200 was sent (acceptor) or received (connector).</summary>
    void OnEstablished();

    /// <summary>
    /// The peer defined its table <paramref name="senderTableId"/>. Return our local table id
    /// (&gt; 0) to accept it, or 0 to ignore the table (its updates are then dropped and not acknowledged).
    /// </summary>
    int OnDefine(int senderTableId, TableSchema schema);

    /// <summary>
    /// The peer defined a table that cannot be used at all (<see cref="DecodedDefine.IgnoreReason"/>:
    /// a key size or array length beyond the limits, an unknown key type…); it is ignored for the
    /// session and its updates are skipped. <see cref="OnDefine"/> is not called for it. Does nothing
    /// unless implemented (a node counts and logs it).
    /// </summary>
    void OnTableUnusable(DecodedDefine definition)
    {
    }

    /// <summary>
    /// One update for our table <paramref name="localTableId"/>. <paramref name="update"/> is a
    /// buffer reused for every update of that remote table (sender's schema); copy what you keep.
    /// </summary>
    void OnUpdate(int localTableId, DecodedUpdate update);

    /// <summary>
    /// Consecutive updates for our table <paramref name="localTableId"/>, in the order received
    /// (a run of one received buffer: no other message came between them). The buffers are reused
    /// once this returns. The default hands them to <see cref="OnUpdate"/> one by one; a handler
    /// that applies a run at once (hashing it first) overrides it.
    /// </summary>
    void OnUpdates(int localTableId, ReadOnlySpan<DecodedUpdate> updates)
    {
        foreach (var update in updates)
        {
            OnUpdate(localTableId, update);
        }
    }

    /// <summary>The peer acknowledged updates of our table <paramref name="localTableId"/> up to <paramref name="updateId"/>.</summary>
    void OnAck(int localTableId, uint updateId);

    /// <summary>
    /// A control message arrived. Heartbeats are handled by the session and only reported.
    /// For <see cref="ControlMessageType.ResyncFinished"/>/<see cref="ControlMessageType.ResyncPartial"/>
    /// the session has already queued the <c>00 03</c> confirmation.
    /// </summary>
    void OnControl(ControlMessageType control);

    /// <summary>The session ended (it is <see cref="PeerSessionState.Closing"/> or <see cref="PeerSessionState.Closed"/>). Called once.</summary>
    void OnClosed(SessionCloseReason reason, string detail);
}
