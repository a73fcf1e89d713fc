// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Microsoft.Extensions.Logging;
using Stickpeer.Protocol.Errors;
using Stickpeer.Protocol.Handshake;
using Stickpeer.Protocol.Text;

namespace Stickpeer.Protocol.Session;

/// <content>Handshake: hello (connector), validation and status line (acceptor), status parsing (connector).</content>
public sealed partial class PeerSession
{
    /// <summary>Line 3 up to its first space (the connector's name), or all of it when it has none.</summary>
    private static ReadOnlySpan<byte> SenderBytes(PeerHello hello)
    {
        var line = hello.SenderLine;
        var space = line.IndexOf((byte)' ');
        return space < 0 ? line : line[..space];
    }

    private void WriteHello()
    {
        HandshakeWriter.WriteHello(Output, RemotePeerName!, _options.LocalPeerName, _options.ProcessId);
        MarkSent();
    }

    private void ReceiveHandshake(ref ReadOnlySequence<byte> rest)
    {
        try
        {
            if (Role == PeerSessionRole.Connector)
            {
                if (HandshakeReader.TryReadStatus(rest, _options.MaxHandshakeLine, out var status, out var consumed, out _) == OperationStatus.Done)
                {
                    rest = rest.Slice(consumed);
                    OnStatusLine((int)status);
                }
            }
            else if (HandshakeReader.TryReadHello(rest, _options.MaxHandshakeLine, out var hello, out var consumed, out _) == OperationStatus.Done)
            {
                rest = rest.Slice(consumed);
                OnHello(hello!);
            }
        }
        catch (PeerProtocolException ex)
        {
            // Over-long or non-numeric handshake lines end the session without a status (as HAProxy does).
            SessionLog.HandshakeFailed(_logger, Id, PeerLabel, ex.Reason);
            CloseCore(SessionCloseReason.HandshakeFailed, ex.Message);
        }
    }

    private void OnStatusLine(int status)
    {
        Status = status;
        if (status == (int)HandshakeStatus.Success)
        {
            TransitionTo(PeerSessionState.Established);
            _handler.OnEstablished();
            return;
        }

        if (status == (int)HandshakeStatus.BadVersion)
        {
            RemoteDowngraded = true;
        }

        SessionLog.StatusRejected(_logger, Id, PeerLabel, status);
        CloseCore(SessionCloseReason.StatusRejected, "status " + status);
    }

    private void OnHello(PeerHello hello)
    {
        string? sender = null;
        var result = HandshakeValidator.Validate(hello, _options.LocalPeerName, name =>
        {
            sender = name;
            return HandshakePeerState.Remote;
        });
        var status = result.Status;
        if (status == HandshakeStatus.Success)
        {
            RemotePeerName = sender;
            status = _handler.OnHello(sender!, result.VersionMinor);
        }

        if (!PeerSessionStates.IsOpen(State))
        {
            return; // the handler closed us
        }

        Status = (int)status;
        HandshakeWriter.WriteStatus(Output, status);
        MarkSent();
        if (status != HandshakeStatus.Success)
        {
            // Whoever connected chose these bytes: escaped, so they cannot forge a log line.
            if (_logger.IsEnabled(LogLevel.Information))
            {
                var who = PrintableText.Escape(SenderBytes(hello));
                SessionLog.HelloRejected(_logger, Id, Status, who);
            }
            CloseCore(SessionCloseReason.HandshakeRejected, "answered " + Status);
            return;
        }

        RemoteDowngraded = result.IsDowngraded;
        TransitionTo(PeerSessionState.Established);
        _handler.OnEstablished();
    }
}
