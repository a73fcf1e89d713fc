// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace Stickpeer.Protocol.Session;

/// <summary>Session log events (EventIds 2000–2049). Names are a contract. Next free id: 2011.</summary>
internal static partial class SessionLog
{
    [LoggerMessage(EventId = 2000, EventName = "SessionStateChanged", Level = LogLevel.Debug,
        Message = "Peer session {SessionId} ({Peer}): {From} -> {To}")]
    public static partial void StateChanged(ILogger logger, long sessionId, string peer, PeerSessionState from, PeerSessionState to);

    [LoggerMessage(EventId = 2001, EventName = "SessionIllegalTransition", Level = LogLevel.Error,
        Message = "Peer session {SessionId} ({Peer}): illegal transition {From} -> {To} ignored")]
    public static partial void IllegalTransition(ILogger logger, long sessionId, string peer, PeerSessionState from, PeerSessionState to);

    [LoggerMessage(EventId = 2002, EventName = "SessionHelloRejected", Level = LogLevel.Information,
        Message = "Peer session {SessionId}: hello from {Sender} rejected with {Status}")]
    public static partial void HelloRejected(ILogger logger, long sessionId, int status, string sender);

    [LoggerMessage(EventId = 2003, EventName = "SessionStatusRejected", Level = LogLevel.Information,
        Message = "Peer session {SessionId} ({Peer}): the acceptor answered {Status}")]
    public static partial void StatusRejected(ILogger logger, long sessionId, string peer, int status);

    [LoggerMessage(EventId = 2004, EventName = "SessionProtocolError", Level = LogLevel.Warning,
        Message = "Peer session {SessionId} ({Peer}): protocol error {Error}; sending {Reply} and closing")]
    public static partial void ProtocolError(ILogger logger, long sessionId, string peer, Stickpeer.Protocol.Errors.ProtocolError error, Stickpeer.Protocol.Wire.ErrorMessageType reply);

    [LoggerMessage(EventId = 2005, EventName = "SessionPeerDead", Level = LogLevel.Information,
        Message = "Peer session {SessionId} ({Peer}): nothing received for {Silence}; closing")]
    public static partial void PeerDead(ILogger logger, long sessionId, string peer, TimeSpan silence);

    [LoggerMessage(EventId = 2006, EventName = "SessionRemoteError", Level = LogLevel.Information,
        Message = "Peer session {SessionId} ({Peer}): peer sent error message 01 {Type:X2}")]
    public static partial void RemoteError(ILogger logger, long sessionId, string peer, byte type);

    [LoggerMessage(EventId = 2007, EventName = "SessionHandlerFailed", Level = LogLevel.Error,
        Message = "Peer session {SessionId} ({Peer}): handler failed; closing")]
    public static partial void HandlerFailed(ILogger logger, long sessionId, string peer, Exception exception);

    [LoggerMessage(EventId = 2008, EventName = "SessionClosed", Level = LogLevel.Debug,
        Message = "Peer session {SessionId} ({Peer}) closed: {Reason} {Detail}")]
    public static partial void Closed(ILogger logger, long sessionId, string peer, SessionCloseReason reason, string detail);

    [LoggerMessage(EventId = 2009, EventName = "SessionHandshakeFailed", Level = LogLevel.Information,
        Message = "Peer session {SessionId} ({Peer}): handshake failed ({Reason})")]
    public static partial void HandshakeFailed(ILogger logger, long sessionId, string peer, Stickpeer.Protocol.Errors.ProtocolError reason);

    [LoggerMessage(EventId = 2010, EventName = "SessionTableIgnored", Level = LogLevel.Debug,
        Message = "Peer session {SessionId} ({Peer}): remote table {SenderTableId} '{Name}' ignored")]
    public static partial void TableIgnored(ILogger logger, long sessionId, string peer, int senderTableId, string name);
}
