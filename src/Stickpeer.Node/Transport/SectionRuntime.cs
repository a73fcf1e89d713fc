// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Stickpeer.Node.Configuration;

namespace Stickpeer.Node.Transport;

/// <summary>Sockets of one peers section: its listener, its outbound connects and its connections.</summary>
internal sealed class SectionRuntime : IDisposable
{
    private static readonly TimeSpan s_handshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly NodeHost _host;
    private readonly IReplicationCore _core;
    private readonly TlsCredentials? _listenerTls;
    private readonly Dictionary<string, (PeerDefinition Peer, TlsCredentials? Tls)> _peers = new(StringComparer.Ordinal);
    private readonly Dictionary<long, PeerConnection> _connections = [];
    private readonly Dictionary<long, CancellationTokenSource> _connecting = [];
    private Socket? _listener;

    public SectionRuntime(NodeHost host, PeersSectionDefinition definition, IReplicationCore core)
    {
        _host = host;
        Definition = definition;
        _core = core;
        _listenerTls = definition.Listener.Tls.Enabled ? new TlsCredentials(definition.Listener.Tls) : null;
        foreach (var peer in definition.RemotePeers)
        {
            _peers[peer.Name] = (peer, peer.Tls.Enabled ? new TlsCredentials(peer.Tls) : null);
        }
    }

    public PeersSectionDefinition Definition { get; }

    public string Name => Definition.Name;

    public ILogger Logger => _host.Logger;

    public TransportMetrics Metrics => _host.Metrics;

    public IReplicationCore Core => _core;

    /// <summary>The address the listener is bound to (port resolved when the configuration says 0).</summary>
    public IPEndPoint? ListenEndpoint { get; private set; }

    public int ConnectionCount => _connections.Count;

    public void StartListening()
    {
        var address = Definition.Listener.Address;
        var ip = address.IsAny ? IPAddress.Any : ResolveSync(address.Host);
        var socket = Sockets.ExclusiveListener.Listen(new IPEndPoint(ip, address.Port), 128);
        _listener = socket;
        ListenEndpoint = (IPEndPoint)socket.LocalEndPoint!;
        TransportLog.ListenerStarted(Logger, Name, ListenEndpoint.ToString(), _listenerTls is null ? "plain TCP" : "TLS");
        _host.Track(AcceptLoopAsync(socket));
    }

    public void StopListening()
    {
        _listener?.Dispose();
        _listener = null;
    }

    // ---- called under the node lock ----

    public void AfterCoreCall()
    {
        while (_core.TryDequeueAction(out var action))
        {
            switch (action.Kind)
            {
                case CoreActionKind.Connect:
                    StartConnect(action.Connection, action.PeerName ?? string.Empty);
                    break;
                case CoreActionKind.Close:
                    if (_connections.TryGetValue(action.Connection, out var conn))
                    {
                        conn.RequestClose(action.Reason ?? "closed by node");
                    }
                    else if (_connecting.TryGetValue(action.Connection, out var cts))
                    {
                        cts.Cancel();
                    }

                    break;
            }
        }

        foreach (var conn in _connections.Values)
        {
            conn.SignalOutput();
        }
    }

    public void CloseAll(string reason)
    {
        foreach (var conn in _connections.Values)
        {
            conn.RequestClose(reason);
        }

        foreach (var cts in _connecting.Values)
        {
            cts.Cancel();
        }
    }

    public void AbortAll()
    {
        foreach (var conn in _connections.Values)
        {
            conn.Abort();
        }
    }

    // ---- called by connections (take the node lock) ----

    public bool Receive(PeerConnection conn, ReadOnlySequence<byte> data, out SequencePosition consumed, out SequencePosition examined)
    {
        lock (_host.Gate)
        {
            if (!_connections.ContainsKey(conn.Id))
            {
                consumed = examined = data.End;
                return false;
            }

            _core.Receive(conn.Id, data, out consumed, out examined);
            AfterCoreCall();
            return true;
        }
    }

    public int CopyOutput(PeerConnection conn, byte[] destination)
    {
        lock (_host.Gate)
        {
            if (!_core.TryGetOutput(conn.Id, out var pending) || pending.IsEmpty)
            {
                return 0;
            }

            var n = (int)Math.Min(pending.Length, destination.Length);
            pending.Slice(0, n).CopyTo(destination);
            return n;
        }
    }

    public void OutputWritten(PeerConnection conn, int bytes)
    {
        lock (_host.Gate)
        {
            _core.AdvanceOutput(conn.Id, bytes);
            AfterCoreCall();
        }
    }

    public void OnConnectionEnded(PeerConnection conn, string reason)
    {
        TransportLog.ConnectionClosed(Logger, Name, conn.Id, reason);
        Metrics.Closed();
        lock (_host.Gate)
        {
            if (_connections.Remove(conn.Id))
            {
                _core.Closed(conn.Id, reason);
                AfterCoreCall();
            }
        }
    }

    // ---- accept / connect ----

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_host.Stopping);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.OperationAborted || _host.IsStopping)
            {
                // StopListening closed the listener under a pending accept: the expected end of a stop, not a failure.
                return;
            }
            catch (SocketException ex)
            {
                TransportLog.AcceptFailed(Logger, Name, ex.Message);
                continue;
            }

            _host.Track(HandleInboundAsync(client));
        }
    }

    private async Task HandleInboundAsync(Socket client)
    {
        var remote = client.RemoteEndPoint?.ToString() ?? "?";
        client.NoDelay = true;
        Stream stream = new NetworkStream(client, ownsSocket: false);
        if (_listenerTls is not null)
        {
            var tls = await AuthenticateInboundAsync(client, stream, remote);
            if (tls is null)
            {
                await stream.DisposeAsync();
                client.Dispose();
                return;
            }

            stream = tls;
        }

        var accepted = false;
        lock (_host.Gate)
        {
            if (!_host.IsStopping)
            {
                accepted = true;
                AcceptLocked(client, stream, remote);
            }
        }

        if (!accepted)
        {
            await stream.DisposeAsync();
            client.Dispose();
        }
    }

    private void AcceptLocked(System.Net.Sockets.Socket client, Stream stream, string remote)
    {
        {
            var id = _core.Accept();
            var conn = new PeerConnection(this, id, client, stream, remote);
            _connections[id] = conn;
            Metrics.Accepted(Name);
            Metrics.Opened();
            TransportLog.Accepted(Logger, Name, remote, id);
            conn.Start();
            AfterCoreCall();
        }
    }

    private async Task<SslStream?> AuthenticateInboundAsync(Socket client, Stream inner, string remote)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_host.Stopping);
        timeout.CancelAfter(s_handshakeTimeout);
        var handshake = new TlsHandshake(_listenerTls!);
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            // A TLS client starts with a handshake record (0x16); a peers hello starts with "HAProxyS".
            var first = new byte[8];
            var n = await client.ReceiveAsync(first, SocketFlags.Peek, timeout.Token);
            if (n > 0 && first[0] != 0x16)
            {
                var reason = first.AsSpan(0, n).StartsWith("HAProx"u8) ? "plaintext peers hello" : "not a TLS handshake";
                TransportLog.PlaintextOnTlsPort(Logger, Name, remote);
                Metrics.TlsFailure(Name, "inbound", reason);
                await ssl.DisposeAsync();
                return null;
            }

            await ssl.AuthenticateAsServerAsync(handshake.ServerOptions(), timeout.Token);
            TransportLog.TlsEstablished(Logger, Name, "from", remote, ssl.SslProtocol.ToString(), ssl.NegotiatedCipherSuite.ToString());
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or SocketException)
        {
            var reason = handshake.VerificationFailure ?? (ex is OperationCanceledException ? "handshake timed out" : Describe(ex));
            TransportLog.TlsHandshakeFailed(Logger, Name, "from", "?", remote, reason);
            Metrics.TlsFailure(Name, "inbound", Classify(handshake.VerificationFailure, ex));
            await ssl.DisposeAsync();
            return null;
        }
    }

    private void StartConnect(long id, string peerName)
    {
        if (!_peers.TryGetValue(peerName, out var peer))
        {
            TransportLog.UnknownPeer(Logger, Name, peerName);
            _core.Closed(id, "unknown peer");
            return;
        }

        var cts = CancellationTokenSource.CreateLinkedTokenSource(_host.Stopping);
        _connecting[id] = cts;
        _host.Track(ConnectAsync(id, peer.Peer, peer.Tls, cts));
    }

    private async Task ConnectAsync(long id, PeerDefinition peer, TlsCredentials? tlsCredentials, CancellationTokenSource cts)
    {
        var endpoint = peer.Address!;
        Socket? socket = null;
        Stream? stream = null;
        string? failure = null;
        var tlsStage = false;
        TlsHandshake? handshake = null;
        try
        {
            cts.CancelAfter(s_handshakeTimeout);
            var addresses = IPAddress.TryParse(endpoint.Host, out var ip) ? [ip] : await Dns.GetHostAddressesAsync(endpoint.Host, cts.Token);
            if (addresses.Length == 0)
            {
                throw new SocketException((int)SocketError.HostNotFound);
            }

            socket = new Socket(addresses[0].AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(addresses[0], endpoint.Port), cts.Token);
            stream = new NetworkStream(socket, ownsSocket: false);
            if (tlsCredentials is not null)
            {
                tlsStage = true;
                handshake = new TlsHandshake(tlsCredentials);
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(handshake.ClientOptions(), cts.Token);
                TransportLog.TlsEstablished(Logger, Name, "to", endpoint.ToString(), ssl.SslProtocol.ToString(), ssl.NegotiatedCipherSuite.ToString());
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or AuthenticationException or OperationCanceledException)
        {
            failure = handshake?.VerificationFailure ?? (ex is OperationCanceledException ? (_host.IsStopping ? "stopping" : "timed out or cancelled") : Describe(ex));
            if (tlsStage)
            {
                TransportLog.TlsHandshakeFailed(Logger, Name, "to", peer.Name, endpoint.ToString(), failure);
                Metrics.TlsFailure(Name, "outbound", Classify(handshake?.VerificationFailure, ex));
            }
            else
            {
                TransportLog.ConnectFailed(Logger, Name, peer.Name, endpoint.ToString(), failure);
            }
        }

        lock (_host.Gate)
        {
            _connecting.Remove(id);
            cts.Dispose();
            if (failure is null && _host.IsStopping)
            {
                failure = "stopping";
            }

            if (failure is not null)
            {
                Metrics.ConnectAttempt(Name, tlsStage ? "tls_failed" : "failed");
                stream?.Dispose();
                socket?.Dispose();
                _core.Closed(id, failure);
                AfterCoreCall();
                return;
            }

            Metrics.ConnectAttempt(Name, "connected");
            Metrics.Opened();
            var conn = new PeerConnection(this, id, socket!, stream!, endpoint.ToString());
            _connections[id] = conn;
            TransportLog.Connected(Logger, Name, peer.Name, endpoint.ToString(), id);
            conn.Start();
            _core.Connected(id);
            AfterCoreCall();
        }
    }

    private static string Describe(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner == ex ? ex.Message : $"{ex.Message} ({inner.Message})";
    }

    private static string Classify(string? verification, Exception ex) => verification switch
    {
        not null when verification.Contains("expired", StringComparison.Ordinal) => "expired",
        not null when verification.Contains("not signed", StringComparison.Ordinal) => "unknown_ca",
        not null when verification.Contains("no client certificate", StringComparison.Ordinal) => "no_client_certificate",
        not null when verification.Contains("name", StringComparison.Ordinal) => "name_mismatch",
        not null => "rejected",
        _ => ex is OperationCanceledException ? "timeout" : "handshake_error",
    };

    private static IPAddress ResolveSync(string host) =>
        IPAddress.TryParse(host, out var ip) ? ip : Dns.GetHostAddresses(host)[0];

    public void Dispose()
    {
        _listener?.Dispose();
        _listenerTls?.Dispose();
        foreach (var (_, tls) in _peers.Values)
        {
            tls?.Dispose();
        }
    }
}
