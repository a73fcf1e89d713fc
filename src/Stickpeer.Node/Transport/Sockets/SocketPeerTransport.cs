// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stickpeer.Node.Configuration;

namespace Stickpeer.Node.Transport.Sockets;

/// <summary>
/// The production transport: TCP, with TLS as each <c>bind</c>/<c>peer</c> line configures it.
/// It owns the TLS credentials of outbound peers (loaded once per peer) and logs and counts TLS
/// failures itself; the host only learns the <see cref="TransportFailure"/>.
/// </summary>
public sealed class SocketPeerTransport : IPeerTransport, IDisposable
{
    /// <summary>Limit for connecting plus the TLS handshake, either direction.</summary>
    internal static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly Dictionary<(string Section, string Peer), TlsCredentials> _peerTls = [];
    private readonly Lock _tlsLock = new();

    public SocketPeerTransport(ILogger? logger = null, TransportMetrics? metrics = null, TimeProvider? time = null)
    {
        Logger = logger ?? NullLogger.Instance;
        Metrics = metrics ?? TransportMetrics.Shared;
        Time = time ?? TimeProvider.System;
    }

    internal ILogger Logger { get; }

    internal TransportMetrics Metrics { get; }

    internal TimeProvider Time { get; }

    public IPeerListener Listen(PeersSectionDefinition section)
    {
        ArgumentNullException.ThrowIfNull(section);
        Socket socket;
        try
        {
            socket = PeersListenerBinding.Bind(section.Listener.Address);
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException)
        {
            throw new PeerTransportException(TransportFailure.BindFailed, ex.Message, ex);
        }

        try
        {
            // Load every certificate of the section now, so a bad file fails the start, not a later connect.
            foreach (var peer in section.RemotePeers)
            {
                _ = CredentialsFor(section, peer);
            }

            var tls = section.Listener.Tls.Enabled ? new TlsCredentials(section.Listener.Tls) : null;
            return new SocketPeerListener(this, section.Name, socket, tls);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask<PeerTransportConnection> ConnectAsync(PeersSectionDefinition section, PeerDefinition peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(peer);
        var endpoint = peer.Address ?? throw new PeerTransportException(TransportFailure.HostNotFound, $"peer '{peer.Name}' has no address");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HandshakeTimeout);
        Socket? socket = null;
        Stream? stream = null;
        TlsHandshake? handshake = null;
        try
        {
            var addresses = IPAddress.TryParse(endpoint.Host, out var ip) ? [ip] : await Dns.GetHostAddressesAsync(endpoint.Host, timeout.Token);
            if (addresses.Length == 0)
            {
                throw new SocketException((int)SocketError.HostNotFound);
            }

            socket = new Socket(addresses[0].AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(addresses[0], endpoint.Port), timeout.Token);
            stream = new NetworkStream(socket, ownsSocket: false);
            if (CredentialsFor(section, peer) is { } credentials)
            {
                handshake = new TlsHandshake(credentials);
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(handshake.ClientOptions(), timeout.Token);
                TransportLog.TlsEstablished(Logger, section.Name, "to", endpoint.ToString(), ssl.SslProtocol.ToString(), ssl.NegotiatedCipherSuite.ToString());
            }

            return new SocketPeerConnection(socket, stream, endpoint.ToString());
        }
        catch (Exception ex) when (ex is SocketException or IOException or AuthenticationException or OperationCanceledException)
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }

            socket?.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            var failure = handshake?.VerificationFailure is { } rejected
                ? new PeerTransportException(rejected.Failure, rejected.Reason, ex)
                : ex is OperationCanceledException
                    ? new PeerTransportException(handshake is null ? TransportFailure.TimedOut : TransportFailure.TlsHandshakeTimedOut, "timed out", ex)
                    : new PeerTransportException(handshake is null ? SocketFailures.Classify(ex) : TransportFailure.TlsHandshakeError, SocketFailures.Describe(ex), ex);
            if (handshake is not null)
            {
                TransportLog.TlsHandshakeFailed(Logger, LogLevel.Warning, section.Name, "to", peer.Name, endpoint.ToString(), failure.Message);
                Metrics.TlsFailure(section.Name, "outbound", failure.Failure.TlsFailureTag());
            }

            throw failure;
        }
    }

    private TlsCredentials? CredentialsFor(PeersSectionDefinition section, PeerDefinition peer)
    {
        if (!peer.Tls.Enabled)
        {
            return null;
        }

        lock (_tlsLock)
        {
            if (!_peerTls.TryGetValue((section.Name, peer.Name), out var credentials))
            {
                credentials = new TlsCredentials(peer.Tls);
                _peerTls[(section.Name, peer.Name)] = credentials;
            }

            return credentials;
        }
    }

    public void Dispose()
    {
        lock (_tlsLock)
        {
            foreach (var credentials in _peerTls.Values)
            {
                credentials.Dispose();
            }

            _peerTls.Clear();
        }
    }
}
