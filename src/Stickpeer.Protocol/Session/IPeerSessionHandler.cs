// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

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
    /// Acceptor only: the hello passed the checks the session can make alone (501/502/503).
    /// Return the status to answer: 200 to accept, 300 (try again later) or 504 (unknown peer).
    /// </summary>
    int OnHello(in PeerHello hello);

    /// <summary>Status 200 was sent (acceptor) or received (connector).</summary>
    void OnEstablished();

    /// <summary>
    /// The peer defined its table <paramref name="senderTableId"/>. Return our local table id
    /// (&gt; 0) to accept it, or 0 to ignore the table (its updates are then dropped and not acknowledged).
    /// </summary>
    uint OnDefine(uint senderTableId, TableSchema schema);

    /// <summary>
    /// One update for our table <paramref name="localTableId"/>. <paramref name="update"/> is a
    /// buffer reused for every update of that remote table (sender's schema); copy what you keep.
    /// </summary>
    void OnUpdate(uint localTableId, DecodedUpdate update);

    /// <summary>The peer acknowledged updates of our table <paramref name="localTableId"/> up to <paramref name="updateId"/>.</summary>
    void OnAck(uint localTableId, uint updateId);

    /// <summary>
    /// A control message arrived. Heartbeats are handled by the session and only reported.
    /// For <see cref="PeerControlType.ResyncFinished"/>/<see cref="PeerControlType.ResyncPartial"/>
    /// the session has already queued the <c>00 03</c> confirmation.
    /// </summary>
    void OnControl(PeerControlType control);

    /// <summary>The session ended (it is <see cref="PeerSessionState.Closing"/> or <see cref="PeerSessionState.Closed"/>). Called once.</summary>
    void OnClosed(SessionCloseReason reason, string detail);
}
