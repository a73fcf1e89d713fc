// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Time.Testing;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Replication;
using Stickpeer.Node.Transport;
using Stickpeer.Node.Tests.Transport;
using Stickpeer.TestKit.Transport;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// One <see cref="PeerNode"/> run by a real <see cref="NodeHost"/> over a <see cref="VirtualPeerTransport"/>,
/// and the raw other end of its one connection: the test writes bytes as the peer would and reads
/// what the host sent, all on one thread (<see cref="DeterministicContext"/>) and a fake clock.
/// The connection's end as the host saw it comes from the host's own log line.
/// </summary>
[SuppressMessage("Usage", "VSTHRD002", Justification = "Results are read only from tasks the single-threaded run has completed (checked): nothing blocks.")]
internal sealed class RawPeerOverHost
{
    private readonly DeterministicContext _context = new();
    private readonly ListLoggerProvider _log = new();
    private readonly NodeHost _host;
    private readonly FakeTimeProvider _time;
    private readonly byte[] _readBuffer = new byte[64 * 1024];
    private PeerTransportConnection _peer = null!;
    private Task<int>? _read;
    private bool _ended;

    private RawPeerOverHost(PeerNode node, FakeTimeProvider time, string local, string remote)
    {
        _time = time;
        var transport = new VirtualPeerTransport(windowBytes: 1 << 20);
        Transport = transport;
        Local = InMemorySection.Create(local, [remote]);
        Remote = InMemorySection.Create(remote, [local]);
        _host = new NodeHost([(Local, node)], time, _log.CreateLogger("Stickpeer.Node.Transport"), transport: transport);
    }

    public VirtualPeerTransport Transport { get; }

    public PeersSectionDefinition Local { get; }

    public PeersSectionDefinition Remote { get; }

    /// <summary>Everything the host sent on the connection so far.</summary>
    public List<byte> Output { get; } = [];

    /// <summary>Why the host closed the connection (its log line), null while open.</summary>
    public string? CloseReason => _log.Entries.Where(e => e.Id.Id == 4008).Select(e => e.Message[(e.Message.IndexOf(" closed: ", StringComparison.Ordinal) + 9)..]).FirstOrDefault();

    /// <summary>Error log lines of the host (a crashed connection or loop).</summary>
    public IEnumerable<string> Errors => _log.Entries.Where(e => e.Id.Id is 4009 or 4010).Select(e => e.Message);

    /// <summary>The host accepts a connection from <paramref name="remote"/> (the raw peer connects).</summary>
    public static RawPeerOverHost Accepting(PeerNode node, FakeTimeProvider time, string local, string remote)
    {
        var run = new RawPeerOverHost(node, time, local, remote);
        run.Start();
        Task<PeerTransportConnection> connect;
        using (run._context.Enter())
        {
            connect = run.Transport.ConnectAsync(run.Remote, run.Local.LocalPeer, CancellationToken.None).AsTask();
        }

        run.Run();
        run._peer = connect.IsCompletedSuccessfully ? connect.Result : throw new InvalidOperationException("the raw peer could not connect", connect.Exception);
        run.Run();
        return run;
    }

    /// <summary>The host's node connects to <paramref name="remote"/>, whose raw end accepts.</summary>
    public static RawPeerOverHost Connecting(PeerNode node, FakeTimeProvider time, string local, string remote)
    {
        var run = new RawPeerOverHost(node, time, local, remote);
        var listener = run.Transport.Listen(run.Remote);
        run.Start();
        Task<PeerTransportConnection?> accept;
        using (run._context.Enter())
        {
            accept = listener.AcceptAsync(CancellationToken.None).AsTask();
        }

        run.Run();
        run._peer = (accept.IsCompletedSuccessfully ? accept.Result : null) ?? throw new InvalidOperationException("the node did not connect");
        run.Run();
        return run;
    }

    /// <summary>Sends bytes as the peer, then runs the host until it is idle.</summary>
    public void Send(ReadOnlySpan<byte> data)
    {
        if (!_ended)
        {
            using (_context.Enter())
            {
                _ = _peer.Stream.WriteAsync(data.ToArray()).AsTask();
            }
        }

        Run();
    }

    /// <summary>Moves the clock (the host ticks), then runs the host until it is idle.</summary>
    public void Advance(TimeSpan by)
    {
        _time.Advance(by);
        Run();
    }

    private void Start()
    {
        using (_context.Enter())
        {
            _host.Start();
        }

        Run();
    }

    /// <summary>Runs everything queued and collects what reached the raw end.</summary>
    private void Run()
    {
        for (var i = 0; i < 10_000; i++)
        {
            if (!_context.RunUntilIdle())
            {
                throw new InvalidOperationException("the host did not settle");
            }

            if (_peer is null || _ended)
            {
                return;
            }

            using (_context.Enter())
            {
                _read ??= _peer.Stream.ReadAsync(_readBuffer).AsTask();
            }

            if (!_read.IsCompleted)
            {
                return;
            }

            var n = _read.IsCompletedSuccessfully ? _read.Result : 0;
            _read = null;
            if (n == 0)
            {
                _ended = true;
                return;
            }

            Output.AddRange(_readBuffer.AsSpan(0, n).ToArray());
        }

        throw new InvalidOperationException("the host kept sending");
    }
}
