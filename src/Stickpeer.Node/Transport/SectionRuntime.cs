// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Replication;

namespace Stickpeer.Node.Transport;

/// <summary>
/// The host's side of one peers section: its <see cref="PeerNode"/>, the connections the node
/// knows by id, and the marshalling of every connection event into the node under the host's
/// lock. Opening and accepting connections is in <c>SectionRuntime.Connections.cs</c>; bytes
/// on the wire are the transport's.
/// </summary>
internal sealed partial class SectionRuntime
{
    private readonly NodeHost _host;
    private readonly IPeerTransport _transport;
    private readonly Dictionary<string, PeerDefinition> _peers = new(StringComparer.Ordinal);
    private readonly Dictionary<ConnectionId, PeerConnection> _connections = [];
    private readonly Dictionary<ConnectionId, CancellationTokenSource> _connecting = [];
    private IPeerListener? _listener;

    public SectionRuntime(NodeHost host, IPeerTransport transport, PeersSectionDefinition definition, PeerNode node)
    {
        _host = host;
        _transport = transport;
        Definition = definition;
        Node = node;
        foreach (var peer in definition.RemotePeers)
        {
            _peers[peer.Name] = peer;
        }

        // The local peer is a connect target only for a reload's old process handing its tables over:
        // it connects where the new process listens (the section's listener; a wildcard means loopback).
        var listen = definition.LocalPeer.Address ?? definition.Listener.Address;
        _peers[definition.LocalPeer.Name] = definition.LocalPeer with
        {
            Address = listen.IsAny ? listen with { Host = "127.0.0.1" } : listen,
        };
    }

    public PeersSectionDefinition Definition { get; }

    public string Name => Definition.Name;

    public PeerNode Node { get; }

    public ILogger Logger => _host.Logger;

    public TransportMetrics Metrics => _host.Metrics;

    public TimeProvider Time => _host.Time;

    /// <summary>Where the listener is bound, once listening.</summary>
    public EndPoint? ListenEndpoint => _listener?.LocalEndpoint;

    public int ConnectionCount => _connections.Count;

    // ---- called under the node lock ----

    /// <summary>Carries out what the node asked for (connect, close) and wakes every writer.</summary>
    public void AfterNodeCall()
    {
        RunActions();

        // Only connections with something to write: waking every write loop after every call made
        // a full mesh quadratic (each message received woke all of the node's connections, and
        // each took the node lock to find nothing to send).
        foreach (var conn in _connections.Values)
        {
            if (Node.HasOutput(conn.Id))
            {
                conn.SignalOutput();
            }
        }
    }

    private void RunActions()
    {
        while (Node.TryDequeueAction(out var action))
        {
            switch (action.Kind)
            {
                case NodeActionKind.Connect:
                    StartConnect(action.Connection, action.PeerName ?? string.Empty);
                    break;
                case NodeActionKind.Close:
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

    /// <summary>Feeds received bytes to the node; false when the node has forgotten the connection.</summary>
    public bool Receive(PeerConnection conn, ReadOnlySequence<byte> data, out SequencePosition consumed, out SequencePosition examined)
    {
        lock (_host.Gate)
        {
            if (!_connections.ContainsKey(conn.Id))
            {
                consumed = examined = data.End;
                return false;
            }

            Node.Receive(conn.Id, data, out consumed, out examined);
            AfterNodeCall();
            return true;
        }
    }

    /// <summary>
    /// The connection buffered <paramref name="buffered"/> bytes without a complete message: the node
    /// answers the peer (<c>01 01</c>) and closes the session. False when there was nothing to answer.
    /// </summary>
    public bool RefuseInput(PeerConnection conn, long buffered)
    {
        lock (_host.Gate)
        {
            if (!_connections.ContainsKey(conn.Id))
            {
                return false;
            }

            var refused = Node.RefuseInput(conn.Id, buffered);
            AfterNodeCall();
            return refused;
        }
    }

    /// <summary>True while the connection's session has not completed its handshake (and the connection is still known).</summary>
    public bool IsHandshaking(PeerConnection conn)
    {
        lock (_host.Gate)
        {
            return _connections.ContainsKey(conn.Id) && Node.IsHandshaking(conn.Id);
        }
    }

    /// <summary>The host's output gate (persistence with fsync always), or null.</summary>
    public IOutputGate? OutputGate => _host.OutputGate;

    /// <summary>Copies up to <paramref name="destination"/>'s length of the node's pending output for the connection.</summary>
    public int CopyOutput(PeerConnection conn, byte[] destination)
    {
        lock (_host.Gate)
        {
            if (!Node.TryGetOutput(conn.Id, out var pending) || pending.IsEmpty)
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
            Node.AdvanceOutput(conn.Id, bytes);

            // AdvanceOutput refills this connection's output only (it runs no pass over the others),
            // so only its own write loop may need waking: the scan of every connection that
            // AfterNodeCall does was 5 % of a 100-node mesh's CPU, from this call alone (perf, idle mesh).
            RunActions();
            if (Node.HasOutput(conn.Id))
            {
                conn.SignalOutput();
            }
        }
    }

    public void OnConnectionEnded(PeerConnection conn, string reason)
    {
        TransportLog.ConnectionClosed(Logger, Name, conn.Id.Value, reason);
        Metrics.Closed();
        lock (_host.Gate)
        {
            if (_connections.Remove(conn.Id))
            {
                Node.Closed(conn.Id, reason);
                AfterNodeCall();
            }
        }
    }
}
