// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Stickpeer.Node.Diagnostics;

namespace Stickpeer.Node.Transport.Sockets;

/// <summary>
/// A bound peers listener. Its accept loop hands each client to its own TLS task (a slow or hostile
/// handshake never blocks the next accept); connections that pass are queued for
/// <see cref="AcceptAsync"/>, failures are logged and counted here and never reach the host.
/// </summary>
internal sealed class SocketPeerListener : IPeerListener
{
    /// <summary>TLS handshakes one listener runs at once; more clients are closed at accept.</summary>
    internal const int MaxTlsHandshakesInFlight = 64;

    private readonly SocketPeerTransport _transport;
    private readonly string _section;
    private readonly Socket _socket;
    private readonly TlsCredentials? _tls;
    private readonly CancellationTokenSource _stopping = new();
    private readonly AcceptQueue _ready = new();
    private readonly Task _acceptLoop;
    private readonly RepeatLimiter _failureLog;
    private int _tlsHandshakes;

    public SocketPeerListener(SocketPeerTransport transport, string section, Socket socket, TlsCredentials? tls)
    {
        _transport = transport;
        _section = section;
        _socket = socket;
        _tls = tls;
        _failureLog = new RepeatLimiter(TimeSpan.FromSeconds(10), transport.Time);
        LocalEndpoint = socket.LocalEndPoint!;
        TransportLog.ListenerStarted(transport.Logger, section, LocalEndpoint.ToString() ?? "?", tls is null ? "plain TCP" : "TLS");
        _acceptLoop = AcceptLoopAsync();
    }

    public EndPoint LocalEndpoint { get; }

    public ValueTask<PeerTransportConnection?> AcceptAsync(CancellationToken cancellationToken) => _ready.TakeAsync(cancellationToken);

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                Socket client;
                try
                {
                    client = await _socket.AcceptAsync(_stopping.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
                {
                    return;
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.OperationAborted || _stopping.IsCancellationRequested)
                {
                    // The listener was closed under a pending accept: the expected end of a stop, not a failure.
                    return;
                }
                catch (SocketException ex)
                {
                    TransportLog.AcceptFailed(_transport.Logger, _section, ex.Message);
                    continue;
                }

                _ = SecureAndQueueAsync(client);
            }
        }
        finally
        {
            _ready.Complete();
        }
    }

    private async Task SecureAndQueueAsync(Socket client)
    {
        var remote = client.RemoteEndPoint?.ToString() ?? "?";
        client.NoDelay = true;
        Stream stream = new NetworkStream(client, ownsSocket: false);
        if (_tls is not null)
        {
            // A handshake costs CPU and buffers before the client has proved anything: past the cap,
            // new clients are closed at once (the section's pending limits apply after TLS).
            if (Interlocked.Increment(ref _tlsHandshakes) > MaxTlsHandshakesInFlight)
            {
                Interlocked.Decrement(ref _tlsHandshakes);
                _transport.Metrics.Refused(_section, "tls_limit");
                await stream.DisposeAsync();
                client.Dispose();
                return;
            }

            SslStream? secured;
            try
            {
                secured = await AuthenticateAsync(client, stream, remote);
            }
            finally
            {
                Interlocked.Decrement(ref _tlsHandshakes);
            }

            if (secured is null)
            {
                await stream.DisposeAsync();
                client.Dispose();
                return;
            }

            stream = secured;
        }

        var connection = new SocketPeerConnection(client, stream, remote);
        if (!_ready.TryAdd(connection))
        {
            await connection.DisposeAsync();
        }
    }

    private async Task<SslStream?> AuthenticateAsync(Socket client, Stream inner, string remote)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(SocketPeerTransport.HandshakeTimeout);
        var handshake = new TlsHandshake(_tls!);
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            // A TLS client starts with a handshake record (0x16); a peers hello starts with "HAProxyS".
            var first = new byte[8];
            var n = await client.ReceiveAsync(first, SocketFlags.Peek, timeout.Token);
            if (n > 0 && first[0] != 0x16)
            {
                var failure = first.AsSpan(0, n).StartsWith("HAProx"u8) ? TransportFailure.PlaintextPeersHello : TransportFailure.NotTlsHandshake;
                var level = FailureLogLevel();
                TransportLog.PlaintextOnTlsPort(_transport.Logger, level, _section, remote);
                _transport.Metrics.TlsFailure(_section, "inbound", failure.TlsFailureTag());
                await ssl.DisposeAsync();
                return null;
            }

            await ssl.AuthenticateAsServerAsync(handshake.ServerOptions(), timeout.Token);
            TransportLog.TlsEstablished(_transport.Logger, _section, "from", remote, ssl.SslProtocol.ToString(), ssl.NegotiatedCipherSuite.ToString());
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or SocketException)
        {
            var (failure, reason) = handshake.VerificationFailure is { } rejected
                ? (rejected.Failure, rejected.Reason)
                : ex is OperationCanceledException
                    ? (TransportFailure.TlsHandshakeTimedOut, "handshake timed out")
                    : (TransportFailure.TlsHandshakeError, SocketFailures.Describe(ex));
            var level = FailureLogLevel();
            TransportLog.TlsHandshakeFailed(_transport.Logger, level, _section, "from", "?", remote, reason);
            _transport.Metrics.TlsFailure(_section, "inbound", failure.TlsFailureTag());
            await ssl.DisposeAsync();
            return null;
        }
    }

    // Anyone can open connections to the listener: one failed handshake per interval is a
    // warning (after a line saying how many were held back), the rest are debug lines. The
    // metric counts every one.
    private LogLevel FailureLogLevel()
    {
        if (!_failureLog.ShouldLog(out var heldBack))
        {
            return LogLevel.Debug;
        }

        if (heldBack > 0)
        {
            TransportLog.InboundTlsFailuresHeldBack(_transport.Logger, _section, heldBack, _failureLog.Interval.TotalSeconds);
        }

        return LogLevel.Warning;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _socket.Dispose();
        await _acceptLoop;
        await _ready.CloseAsync();

        _tls?.Dispose();
        _stopping.Dispose();
    }
}
