// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace Stickpeer.Node.Transport;

/// <summary>Transport log messages (event ids 4xxx; next free id: 4016).</summary>
internal static partial class TransportLog
{
    [LoggerMessage(4001, LogLevel.Information, "peers section '{Section}': listening on {Endpoint} ({Transport})", EventName = "ListenerStarted")]
    public static partial void ListenerStarted(ILogger logger, string section, string endpoint, string transport);

    [LoggerMessage(4002, LogLevel.Error, "peers section '{Section}': cannot listen on {Endpoint}: {Reason}", EventName = "ListenerFailed")]
    public static partial void ListenerFailed(ILogger logger, string section, string endpoint, string reason);

    [LoggerMessage(4003, LogLevel.Debug, "peers section '{Section}': accepted {Remote} as {Connection}", EventName = "Accepted")]
    public static partial void Accepted(ILogger logger, string section, string remote, long connection);

    // Warning, or Debug for inbound failures past one per interval (see InboundFailuresHeldBack).
    [LoggerMessage(EventId = 4004, Message = "peers section '{Section}': TLS handshake {Direction} {Peer} ({Remote}) failed: {Reason}", EventName = "TlsHandshakeFailed")]
    public static partial void TlsHandshakeFailed(ILogger logger, LogLevel level, string section, string direction, string peer, string remote, string reason);

    [LoggerMessage(EventId = 4005, Message = "peers section '{Section}': {Remote} sent plaintext to the TLS listener (a peer without 'ssl' on its server line?)", EventName = "PlaintextOnTlsPort")]
    public static partial void PlaintextOnTlsPort(ILogger logger, LogLevel level, string section, string remote);

    [LoggerMessage(4016, LogLevel.Warning, "peers section '{Section}': {Count} more inbound TLS handshakes failed since the last such line (only one per {Seconds} s is a warning; the others are debug lines)", EventName = "InboundTlsFailuresHeldBack")]
    public static partial void InboundTlsFailuresHeldBack(ILogger logger, string section, int count, double seconds);

    [LoggerMessage(4006, LogLevel.Debug, "peers section '{Section}': connection to peer '{Peer}' at {Endpoint} failed: {Reason}", EventName = "ConnectFailed")]
    public static partial void ConnectFailed(ILogger logger, string section, string peer, string endpoint, string reason);

    [LoggerMessage(4007, LogLevel.Debug, "peers section '{Section}': connected to peer '{Peer}' at {Endpoint} as {Connection}", EventName = "Connected")]
    public static partial void Connected(ILogger logger, string section, string peer, string endpoint, long connection);

    [LoggerMessage(4008, LogLevel.Debug, "peers section '{Section}': connection {Connection} closed: {Reason}", EventName = "ConnectionClosed")]
    public static partial void ConnectionClosed(ILogger logger, string section, long connection, string reason);

    [LoggerMessage(4009, LogLevel.Error, "peers section '{Section}': connection {Connection} failed unexpectedly", EventName = "ConnectionCrashed")]
    public static partial void ConnectionCrashed(ILogger logger, Exception exception, string section, long connection);

    [LoggerMessage(4010, LogLevel.Error, "node loop error in {Where}", EventName = "LoopError")]
    public static partial void LoopError(ILogger logger, Exception exception, string where);

    [LoggerMessage(4011, LogLevel.Warning, "peers section '{Section}': core asked to connect unknown peer '{Peer}'", EventName = "UnknownPeer")]
    public static partial void UnknownPeer(ILogger logger, string section, string peer);

    [LoggerMessage(4012, LogLevel.Information, "stopping: closing {Count} peer connections", EventName = "Stopping")]
    public static partial void Stopping(ILogger logger, int count);

    [LoggerMessage(4013, LogLevel.Debug, "peers section '{Section}': TLS established {Direction} {Remote} ({Protocol}, {Cipher})", EventName = "TlsEstablished")]
    public static partial void TlsEstablished(ILogger logger, string section, string direction, string remote, string protocol, string cipher);

    [LoggerMessage(4014, LogLevel.Warning, "peers section '{Section}': connection {Connection} buffered {Bytes} bytes without a complete message; closing", EventName = "InputOverflow")]
    public static partial void InputOverflow(ILogger logger, string section, long connection, long bytes);

    [LoggerMessage(4015, LogLevel.Information, "peers section '{Section}': accept failed: {Reason}", EventName = "AcceptFailed")]
    public static partial void AcceptFailed(ILogger logger, string section, string reason);
}
