// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Configuration;
using Stickpeer.Node.Replication;

namespace Stickpeer.Node.Transport;

/// <summary>Listening, accepting and connecting for one section, through the host's <see cref="IPeerTransport"/>.</summary>
internal sealed partial class SectionRuntime
{
    /// <summary>Binds the listener (throws <see cref="PeerTransportException"/>) and starts accepting.</summary>
    public void StartListening()
    {
        _listener = _transport.Listen(Definition);
        _host.Track(AcceptLoopAsync(_listener));
    }

    public async ValueTask StopListeningAsync()
    {
        // Once only: a reload's old process stops listening before it stops.
        if (Interlocked.Exchange(ref _listener, null) is { } listener)
        {
            await listener.DisposeAsync();
        }
    }

    private async Task AcceptLoopAsync(IPeerListener listener)
    {
        while (true)
        {
            PeerTransportConnection? accepted;
            try
            {
                accepted = await listener.AcceptAsync(_host.Stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (accepted is null)
            {
                return;
            }

            if (!TryAdopt(accepted))
            {
                await accepted.DisposeAsync();
            }
        }
    }

    private bool TryAdopt(PeerTransportConnection accepted)
    {
        lock (_host.Gate)
        {
            if (_host.IsStopping)
            {
                return false;
            }

            if (Node.TryAccept(accepted.SourceAddress, out var id) is { } refusal)
            {
                // Too many connections already wait for their handshake: close this one unanswered.
                Metrics.Refused(Name, refusal);
                return false;
            }

            var conn = new PeerConnection(this, id, accepted);
            _connections[id] = conn;
            Metrics.Accepted(Name);
            Metrics.Opened();
            TransportLog.Accepted(Logger, Name, accepted.Remote, id.Value);
            conn.Start();
            AfterNodeCall();
            return true;
        }
    }

    // Under the node lock (from AfterNodeCall).
    private void StartConnect(ConnectionId id, string peerName)
    {
        if (!_peers.TryGetValue(peerName, out var peer))
        {
            TransportLog.UnknownPeer(Logger, Name, peerName);
            Node.Closed(id, "unknown peer");
            return;
        }

        var cts = CancellationTokenSource.CreateLinkedTokenSource(_host.Stopping);
        _connecting[id] = cts;
        _host.Track(ConnectAsync(id, peer, cts));
    }

    private async Task ConnectAsync(ConnectionId id, PeerDefinition peer, CancellationTokenSource cts)
    {
        var endpoint = peer.Address?.ToString() ?? "?";
        PeerTransportConnection? opened = null;
        string? failure = null;
        var tlsFailed = false;
        try
        {
            opened = await _transport.ConnectAsync(Definition, peer, cts.Token);
        }
        catch (PeerTransportException ex)
        {
            failure = ex.Message;
            tlsFailed = ex.Failure.IsTls();
            if (!tlsFailed)
            {
                // The transport logs TLS failures itself, with their certificate details.
                TransportLog.ConnectFailed(Logger, Name, peer.Name, endpoint, failure);
            }
        }
        catch (OperationCanceledException)
        {
            failure = _host.IsStopping ? "stopping" : "cancelled";
            TransportLog.ConnectFailed(Logger, Name, peer.Name, endpoint, failure);
        }

        var adopted = false;
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
                Metrics.ConnectAttempt(Name, tlsFailed ? "tls_failed" : "failed");
                Node.Closed(id, failure);
                AfterNodeCall();
            }
            else
            {
                Metrics.ConnectAttempt(Name, "connected");
                Metrics.Opened();
                var conn = new PeerConnection(this, id, opened!);
                _connections[id] = conn;
                TransportLog.Connected(Logger, Name, peer.Name, endpoint, id.Value);
                conn.Start();
                Node.Connected(id);
                AfterNodeCall();
                adopted = true;
            }
        }

        if (!adopted && opened is not null)
        {
            await opened.DisposeAsync();
        }
    }
}
